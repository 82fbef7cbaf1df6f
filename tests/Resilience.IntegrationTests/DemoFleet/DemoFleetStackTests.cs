using System.Diagnostics;
using System.Text.Json.Nodes;
using Resilience.IntegrationTests.Engine;
using Resilience.Stack.Inventory;
using Xunit.Abstractions;

namespace Resilience.IntegrationTests.DemoFleet;

/// <summary>
/// The README's main job: the committed demo stacks mainpc and pc2 brought up from nothing by the CLI (the collection's
/// <see cref="DemoStacks"/>: an `up` that fails fails every test of the collection), then every agent of both machines
/// answers on its port, both runtimes see all 77 up, and a migrated PC2 pilot's pushed samples reach CentralHub. That
/// destroy leaves nothing behind is checked when the collection ends.
/// </summary>
[Trait("Category", "Integration")]
[Collection(DemoStacksCollection.Name)]
public sealed class DemoFleetStackTests(DemoStacks stacks, ITestOutputHelper output)
{
    /// <summary>The operator's client: the pair shares one CA and one operator credential.</summary>
    private HttpClient Http => stacks.Access(DemoStacks.MainPc).Http;

    /// <summary>The runtimes probe agents every healthCheckInterval (30 s) and sync over NATS: two rounds and slack.</summary>
    private static readonly TimeSpan AllUpWithin = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task The_main_job_brings_up_77_living_agents_whose_pushed_metrics_reach_centralhub()
    {
        await stacks.ResetAsync();
        var clock = Stopwatch.StartNew();
        foreach (var (stack, took) in stacks.ColdUp) output.WriteLine($"up --stack {stack} from nothing: {took.TotalSeconds:F0} s");

        var inventory = stacks.Inventory;
        Assert.Equal(77, inventory.Agents.Count);
        foreach (var agent in inventory.Agents)
        {
            using var health = await Http.GetAsync($"https://{DemoStacks.Addresses[agent.Machine]}:{agent.Port}{agent.HealthPath}");
            Assert.True(health.IsSuccessStatusCode, $"{agent.Name} on {agent.Machine}: /health {(int)health.StatusCode}");
        }

        var allUp = await Eventually.WithinAsync(AllUpWithin, async () =>
            (await UpInRuntimeAsync("127.0.0.2")).Count == 77 && (await UpInRuntimeAsync("127.0.0.3")).Count == 77);
        var seen = await UpInRuntimeAsync("127.0.0.3");
        Assert.True(allUp is not null, $"PC2's runtime sees {seen.Count} of 77 up after {AllUpWithin}; down or missing: " +
            string.Join(", ", inventory.Agents.Select(a => $"{a.Machine}/{a.Name}").Except(seen).Take(20)));
        output.WriteLine($"main job (both ups, from nothing): {stacks.ColdUp.Values.Sum(t => t.TotalSeconds):F0} s; " +
            $"all 77 up in both runtimes' /health {allUp!.Value.TotalSeconds:F0} s into this test ({clock.Elapsed.TotalSeconds:F0} s with the reset)");

        // A migrated PC2 pilot pushes through its runtime under its own job; EdgeHub's scrape of it (job "agents",
        // remote-written to CentralHub) is left out, so only the pushed series can answer.
        var pilot = inventory.On("pc2").First(a => a.Wave == Wave.Pilot).Name;
        var query = $"demo_agent_samples_total{{agent=\"{pilot}\",job!=\"agents\"}}";
        var pushed = await Eventually.WithinAsync(TimeSpan.FromMinutes(2), async () => (await QueryAsync("https://127.0.0.2:9000", query)).Count > 0);
        Assert.True(pushed is not null, $"{query} is not on CentralHub");
        output.WriteLine($"on CentralHub: {(await QueryAsync("https://127.0.0.2:9000", query))[0]!["metric"]!.ToJsonString()}");

        // Week 2: the batches' files are written and each agent is restarted through the control API, so it
        // reads its new file and pushes; a pilot's file changed too (its header names the week): restarted once more.
        var batch = inventory.On("pc2").First(a => a.Wave == Wave.Batch1).Name;
        Assert.Equal(1, await PhaseAsync(batch));
        var pilotRestarts = await RestartsAsync(pilot);
        stacks.Project.Replace("Pulumi.pc2.yaml", "resilience:rolloutWeek: 1", "resilience:rolloutWeek: 2");
        var week2 = await stacks.RunAsync("up", "--stack", "pc2", "--yes");
        Assert.True(week2.ExitCode == 0, $"up pc2 week 2: {week2}");
        Assert.Equal(2, await PhaseAsync(batch));
        Assert.Equal(pilotRestarts + 1, await RestartsAsync(pilot));
    }

    /// <summary>machine/agent of every agent the runtime's /health view shows up.</summary>
    private async Task<HashSet<string>> UpInRuntimeAsync(string address)
    {
        try
        {
            var body = JsonNode.Parse(await Http.GetStringAsync($"https://{address}:9095/health"))!;
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

    private async Task<int?> PhaseAsync(string agent) =>
        (int?)JsonNode.Parse(await Http.GetStringAsync($"https://127.0.0.3:9190/agents/{agent}"))!["phase"];

    /// <summary>The fleet's count of successful restarts of one agent.</summary>
    private async Task<int> RestartsAsync(string agent)
    {
        var metrics = await Http.GetStringAsync("https://127.0.0.3:9190/metrics");
        var line = metrics.Split('\n').Single(l => l.StartsWith($"demo_fleet_restarts_total{{agent=\"{agent}\",result=\"ok\"}} ", StringComparison.Ordinal));
        return int.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<JsonArray> QueryAsync(string hub, string query)
    {
        var body = JsonNode.Parse(await Http.GetStringAsync($"{hub}/api/v1/query?query={Uri.EscapeDataString(query)}"))!;
        return body["data"]!["result"]!.AsArray();
    }
}
