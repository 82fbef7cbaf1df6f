using System.Diagnostics;
using System.Text.Json.Nodes;
using Resilience.IntegrationTests.Engine;
using Resilience.Stack.Inventory;
using Xunit.Abstractions;

namespace Resilience.IntegrationTests.DemoFleet;

/// <summary>
/// The seeds' three rollback levels on the demo stacks (mainpc and pc2 up with the fleet), one command each, timed
/// against their budgets: level 1 one component (--target, &lt; 2 min), level 2 the previous week (--to N, &lt; 5 min),
/// level 3 the Phase 1 configuration (--to phase1 on both stacks, &lt; 5 min, all 77 agents healthy on CentralHub).
/// After each, the stack file and what is deployed agree. Times are printed for the README.
/// </summary>
[Trait("Category", "Integration")]
[Collection(DemoStacksCollection.Name)]
public sealed class RollbackLevelsTests(ITestOutputHelper output)
{
    private static readonly string[] Stacks = ["mainpc", "pc2"];
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan Level1Budget = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Level2Budget = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Level3Budget = TimeSpan.FromMinutes(5);
    private const string CentralHub = "http://127.0.0.2:9000";

    [Fact]
    public async Task Each_level_is_one_command_within_its_budget_and_phase_1_leaves_all_77_agents_healthy_on_centralhub()
    {
        using var project = new TempProject();
        var environment = new Dictionary<string, string> { ["RESILIENCE_BACKEND_URL"] = $"file://{project.PathOf("state")}" };
        var committedPc2 = File.ReadAllText(project.PathOf("Pulumi.pc2.yaml"));
        var inventory = AgentInventory.Load(project.PathOf("stacks/agents.yaml"));
        var batchAgent = inventory.On("pc2").First(a => a.Wave == Wave.Batch1).Name;
        foreach (var stack in Stacks) DockerCli.RemoveLabelled(stack);
        var problems = new List<string>();
        try
        {
            foreach (var stack in Stacks) await MustRunAsync(project, environment, "up", "--stack", stack, "--yes");
            var week1 = (await HistoryAsync(project, environment))[^1]!["version"]!.GetValue<int>();
            project.Replace("Pulumi.pc2.yaml", "resilience:rolloutWeek: 1", "resilience:rolloutWeek: 2");
            await MustRunAsync(project, environment, "up", "--stack", "pc2", "--yes");
            Assert.NotNull(await AgentAsync("127.0.0.3", batchAgent, "pushTarget"));

            // Level 2: the previous week, and the stack file follows (the issue's report: it still said week 2).
            var level2 = await TimedAsync(project, environment, "rollback", "--stack", "pc2", "--to", week1.ToString(), "--yes");
            output.WriteLine($"level 2 (rollback --stack pc2 --to {week1}, week 2 -> week 1): {level2.TotalSeconds:F1} s (budget {Level2Budget.TotalMinutes} min)");
            Assert.True(level2 < Level2Budget, $"level 2 took {level2}");
            Assert.Equal(committedPc2, File.ReadAllText(project.PathOf("Pulumi.pc2.yaml")));
            var preview = await MustRunAsync(project, environment, "preview", "--stack", "pc2", "--expect-no-changes");
            Assert.Contains($"is a rollback", preview.Stdout);
            Assert.Contains($"to version {week1}", preview.Stdout);
            var rollback = (await HistoryAsync(project, environment))[^1]!;
            Assert.Equal(week1.ToString(), rollback["rolledBackTo"]?.GetValue<string>());
            // The batch's files are gone, and its agents were told: back to scraped only, no push target.
            Assert.False(File.Exists(project.PathOf($"var/pc2/agents/{inventory.Agents.First(a => a.Name == batchAgent).ConfigFileName}")));
            Assert.Null(await AgentAsync("127.0.0.3", batchAgent, "pushTarget"));

            // Level 1: one component, EdgeHub, back to the last version's config after a change that broke nothing but is unwanted.
            project.Append("Pulumi.pc2.yaml", "  resilience:edgeScrapeInterval: 7s\n");
            await MustRunAsync(project, environment, "up", "--stack", "pc2", "--yes");
            var edgeConfig = project.PathOf("var/pc2/edgehub/prometheus.yml");
            Assert.Contains("scrape_interval: 7s", File.ReadAllText(edgeConfig));
            var level1 = await TimedAsync(project, environment, "rollback", "--stack", "pc2", "--to", rollback["version"]!.GetValue<int>().ToString(), "--yes",
                "--target", "urn:resilience:pc2::file:file::edgehub/prometheus.yml", "--target", "urn:resilience:pc2::docker:container::edgehub");
            output.WriteLine($"level 1 (rollback --stack pc2 --to N --target EdgeHub's config and container): {level1.TotalSeconds:F1} s (budget {Level1Budget.TotalMinutes} min)");
            Assert.True(level1 < Level1Budget, $"level 1 took {level1}");
            Assert.DoesNotContain("scrape_interval: 7s", File.ReadAllText(edgeConfig));
            Assert.True((await Http.GetAsync("http://127.0.0.3:9100/-/ready")).IsSuccessStatusCode, "EdgeHub is not ready after level 1");
            project.Replace("Pulumi.pc2.yaml", "  resilience:edgeScrapeInterval: 7s\n", "");

            // Level 3: Phase 1 on both machines, then every agent healthy and on CentralHub.
            var clock = Stopwatch.StartNew();
            var since = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            foreach (var stack in new[] { "pc2", "mainpc" }) await MustRunAsync(project, environment, "rollback", "--stack", stack, "--to", "phase1", "--yes");
            var applied = clock.Elapsed;
            var healthy = await Eventually.WithinAsync(Level3Budget, async () => (await UnhealthyAsync(inventory, since)).Count == 0);
            var unhealthy = await UnhealthyAsync(inventory, since);
            Assert.True(healthy is not null, $"after Phase 1, {unhealthy.Count} of 77 are not healthy on CentralHub: {string.Join(", ", unhealthy.Take(20))}");
            var level3 = clock.Elapsed;
            output.WriteLine($"level 3 (rollback --to phase1 on pc2 then mainpc): applied in {applied.TotalSeconds:F1} s, all 77 agents healthy on CentralHub " +
                $"after {level3.TotalSeconds:F1} s (budget {Level3Budget.TotalMinutes} min)");
            Assert.True(level3 < Level3Budget, $"level 3 took {level3}");

            foreach (var stack in Stacks) Assert.Contains("resilience:rolloutWeek: 0", File.ReadAllText(project.PathOf($"Pulumi.{stack}.yaml")));
            foreach (var gone in new[] { "pc2-edgehub", "pc2-pushgateway", "pc2-nats", "pc2-runtime", "mainpc-nats", "mainpc-runtime" })
                Assert.Null(DockerCli.Inspect(gone, "{{.Id}}"));
            foreach (var running in new[] { "mainpc-centralhub", "mainpc-pushgateway", "mainpc-demo-fleet", "pc2-demo-fleet" })
                Assert.True(DockerCli.IsRunning(running), $"{running} is not running in Phase 1");
            var volumes = Tool.Run("docker", "volume", "ls", "-q").Output;
            foreach (var kept in new[] { "pc2-edgehub-data", "pc2-nats-data", "pc2-runtime-data", "pc2-pushgateway-data", "mainpc-nats-data" })
                Assert.Contains(kept, volumes);
            await MustRunAsync(project, environment, "preview", "--stack", "pc2", "--expect-no-changes");
        }
        finally
        {
            foreach (var stack in Stacks.Reverse())
            {
                var destroy = await CliRunner.RunAsync(project.Dir, environment, CommandTimeout, "destroy", "--stack", stack, "--yes");
                if (destroy.ExitCode != 0) problems.Add($"destroy {stack}: {destroy}");
                DockerCli.RemoveLabelled(stack);
            }
        }
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>
    /// machine/agent of every agent not healthy: not running in its fleet, not pushing to MainPC's Pushgateway, or
    /// without a `demo_agent_up 1` on CentralHub sampled after <paramref name="since"/> (what EdgeHub remote-wrote before is older).
    /// </summary>
    private static async Task<List<string>> UnhealthyAsync(AgentInventory inventory, long since)
    {
        var onCentral = new HashSet<string>();
        try
        {
            var query = $"demo_agent_up == 1 and timestamp(demo_agent_up) > {since}";
            var body = JsonNode.Parse(await Http.GetStringAsync($"{CentralHub}/api/v1/query?query={Uri.EscapeDataString(query)}"))!;
            foreach (var series in body["data"]!["result"]!.AsArray()) onCentral.Add($"{(string?)series!["metric"]!["machine"]}/{(string?)series["metric"]!["agent"]}");
        }
        catch (HttpRequestException)
        {
        }
        var running = new HashSet<string>();
        foreach (var (machine, address) in new[] { ("mainpc", "127.0.0.2"), ("pc2", "127.0.0.3") })
        {
            try
            {
                var agents = JsonNode.Parse(await Http.GetStringAsync($"http://{address}:9190/agents"))!.AsArray();
                foreach (var a in agents.Where(a => (string?)a!["mode"] == "running" && a["error"] is null
                    && ((string?)a["pushTarget"])?.StartsWith("http://127.0.0.2:9091/", StringComparison.Ordinal) == true && (long?)a["pushesOk"] > 0))
                {
                    running.Add($"{machine}/{(string?)a!["name"]}");
                }
            }
            catch (HttpRequestException)
            {
            }
        }
        return inventory.Agents.Select(a => $"{a.Machine}/{a.Name}").Where(a => !onCentral.Contains(a) || !running.Contains(a)).ToList();
    }

    private static async Task<string?> AgentAsync(string address, string agent, string field) =>
        (string?)JsonNode.Parse(await Http.GetStringAsync($"http://{address}:9190/agents/{agent}"))![field];

    private static async Task<JsonArray> HistoryAsync(TempProject project, Dictionary<string, string> environment) =>
        JsonNode.Parse((await MustRunAsync(project, environment, "stack", "history", "--stack", "pc2", "--json")).Stdout)!.AsArray();

    private static async Task<TimeSpan> TimedAsync(TempProject project, Dictionary<string, string> environment, params string[] args)
    {
        var clock = Stopwatch.StartNew();
        await MustRunAsync(project, environment, args);
        return clock.Elapsed;
    }

    private static async Task<CliRunner.Result> MustRunAsync(TempProject project, Dictionary<string, string> environment, params string[] args)
    {
        var result = await CliRunner.RunAsync(project.Dir, environment, CommandTimeout, args);
        Assert.True(result.ExitCode == 0, $"{string.Join(' ', args)}: {result}");
        return result;
    }
}
