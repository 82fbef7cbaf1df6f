using System.Diagnostics;
using System.Text.Json.Nodes;
using Resilience.IntegrationTests.Engine;
using Resilience.Stack.Inventory;
using Xunit.Abstractions;

namespace Resilience.IntegrationTests.DemoFleet;

/// <summary>
/// The README's main job in a throw-away project: the committed demo stacks mainpc and pc2 brought up by the CLI, then
/// every agent of both machines answers on its port, both runtimes see all 77 up, and a migrated PC2 pilot's pushed
/// samples reach CentralHub. Destroyed at the end; whatever destroy leaves is removed anyway and reported.
/// </summary>
[Collection(DemoStacksCollection.Name)]
public sealed class DemoFleetStackTests(ITestOutputHelper output)
{
    private static readonly string[] Stacks = ["mainpc", "pc2"];
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>The runtimes probe agents every healthCheckInterval (30 s) and sync over NATS: two rounds and slack.</summary>
    private static readonly TimeSpan AllUpWithin = TimeSpan.FromMinutes(3);

    // A cold publish of the runtime and the fleet under the other helpers' builds can take minutes.
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(15);

    [Fact]
    public async Task The_main_job_brings_up_77_living_agents_whose_pushed_metrics_reach_centralhub()
    {
        using var project = new TempProject();
        var environment = new Dictionary<string, string> { ["RESILIENCE_BACKEND_URL"] = $"file://{project.PathOf("state")}" };
        foreach (var stack in Stacks) DockerCli.RemoveLabelled(stack);
        var problems = new List<string>();
        try
        {
            var clock = Stopwatch.StartNew();
            foreach (var stack in Stacks)
            {
                var up = await CliRunner.RunAsync(project.Dir, environment, CommandTimeout, "up", "--stack", stack, "--yes");
                Assert.True(up.ExitCode == 0, $"up {stack}: {up}");
                output.WriteLine($"up --stack {stack}: done at {clock.Elapsed.TotalSeconds:F0} s");
            }
            var deployed = clock.Elapsed;

            var inventory = AgentInventory.Load(project.PathOf("stacks/agents.yaml"));
            Assert.Equal(77, inventory.Agents.Count);
            var addresses = new Dictionary<string, string> { ["mainpc"] = "127.0.0.2", ["pc2"] = "127.0.0.3" };
            foreach (var agent in inventory.Agents)
            {
                using var health = await Http.GetAsync($"http://{addresses[agent.Machine]}:{agent.Port}{agent.HealthPath}");
                Assert.True(health.IsSuccessStatusCode, $"{agent.Name} on {agent.Machine}: /health {(int)health.StatusCode}");
            }

            var allUp = await Eventually.WithinAsync(AllUpWithin, async () =>
                (await UpInRuntimeAsync("127.0.0.2")).Count == 77 && (await UpInRuntimeAsync("127.0.0.3")).Count == 77);
            var seen = await UpInRuntimeAsync("127.0.0.3");
            Assert.True(allUp is not null, $"PC2's runtime sees {seen.Count} of 77 up after {AllUpWithin}; down or missing: " +
                string.Join(", ", inventory.Agents.Select(a => $"{a.Machine}/{a.Name}").Except(seen).Take(20)));
            output.WriteLine($"main job (both ups, from nothing): {deployed.TotalSeconds:F0} s; all 77 up in both runtimes' /health {allUp!.Value.TotalSeconds:F0} s later");

            // A migrated PC2 pilot pushes through its runtime under its own job; EdgeHub's scrape of it (job "agents",
            // remote-written to CentralHub) is left out, so only the pushed series can answer.
            var pilot = inventory.On("pc2").First(a => a.Wave == Wave.Pilot).Name;
            var query = $"demo_agent_samples_total{{agent=\"{pilot}\",job!=\"agents\"}}";
            var pushed = await Eventually.WithinAsync(TimeSpan.FromMinutes(2), async () => (await QueryAsync("http://127.0.0.2:9000", query)).Count > 0);
            Assert.True(pushed is not null, $"{query} is not on CentralHub");
            output.WriteLine($"on CentralHub: {(await QueryAsync("http://127.0.0.2:9000", query))[0]!["metric"]!.ToJsonString()}");

            // Week 2: the batches' files are written and each agent is restarted through the control API, so it
            // reads its new file and pushes; a pilot's file changed too (its header names the week): restarted once more.
            var batch = inventory.On("pc2").First(a => a.Wave == Wave.Batch1).Name;
            Assert.Equal(1, await PhaseAsync(batch));
            var pilotRestarts = await RestartsAsync(pilot);
            project.Replace("Pulumi.pc2.yaml", "resilience:rolloutWeek: 1", "resilience:rolloutWeek: 2");
            var week2 = await CliRunner.RunAsync(project.Dir, environment, CommandTimeout, "up", "--stack", "pc2", "--yes");
            Assert.True(week2.ExitCode == 0, $"up pc2 week 2: {week2}");
            Assert.Equal(2, await PhaseAsync(batch));
            Assert.Equal(pilotRestarts + 1, await RestartsAsync(pilot));
        }
        finally
        {
            foreach (var stack in Stacks.Reverse())
            {
                var destroy = await CliRunner.RunAsync(project.Dir, environment, CommandTimeout, "destroy", "--stack", stack, "--yes");
                if (destroy.ExitCode != 0) problems.Add($"destroy {stack}: {destroy}");
                else problems.AddRange(DockerCli.Labelled(stack).Select(left => $"destroy {stack} left {left}"));
                DockerCli.RemoveLabelled(stack);
            }
        }
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>machine/agent of every agent the runtime's /health view shows up.</summary>
    private static async Task<HashSet<string>> UpInRuntimeAsync(string address)
    {
        try
        {
            var body = JsonNode.Parse(await Http.GetStringAsync($"http://{address}:9095/health"))!;
            return body["agents"]!.AsArray()
                .Where(a => (string?)a!["status"] == "up")
                .Select(a => $"{(string)a!["machine"]!}/{(string)a["agent"]!}")
                .ToHashSet();
        }
        catch (HttpRequestException)
        {
            return [];
        }
    }

    private static async Task<int?> PhaseAsync(string agent) =>
        (int?)JsonNode.Parse(await Http.GetStringAsync($"http://127.0.0.3:9190/agents/{agent}"))!["phase"];

    /// <summary>The fleet's count of successful restarts of one agent.</summary>
    private static async Task<int> RestartsAsync(string agent)
    {
        var metrics = await Http.GetStringAsync("http://127.0.0.3:9190/metrics");
        var line = metrics.Split('\n').Single(l => l.StartsWith($"demo_fleet_restarts_total{{agent=\"{agent}\",result=\"ok\"}} ", StringComparison.Ordinal));
        return int.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<JsonArray> QueryAsync(string hub, string query)
    {
        var body = JsonNode.Parse(await Http.GetStringAsync($"{hub}/api/v1/query?query={Uri.EscapeDataString(query)}"))!;
        return body["data"]!["result"]!.AsArray();
    }
}
