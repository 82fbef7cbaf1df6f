using System.Diagnostics;
using System.Text.Json.Nodes;
using Resilience.IntegrationTests.Engine;
using Resilience.Stack.Inventory;
using Xunit.Abstractions;

namespace Resilience.IntegrationTests.DemoFleet;

/// <summary>
/// The seeds' three rollback levels on the demo stacks (<see cref="DemoStacks"/>: mainpc and pc2 up with the fleet), one command each, timed
/// against their budgets: level 1 one component (--target, &lt; 2 min), level 2 the previous week (--to N, &lt; 5 min),
/// level 3 the Phase 1 configuration (--to phase1 on both stacks, &lt; 5 min, all 77 agents healthy on CentralHub).
/// After each, the stack file and what is deployed agree. Times are printed for the README.
/// </summary>
[Trait("Category", "Integration")]
[Collection(DemoStacksCollection.Name)]
public sealed class RollbackLevelsTests(DemoStacks stacks, ITestOutputHelper output)
{
    /// <summary>The operator's client: the pair shares one CA and one operator credential.</summary>
    private HttpClient Http => stacks.Access(DemoStacks.MainPc).Http;
    private static readonly TimeSpan Level1Budget = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Level2Budget = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Level3Budget = TimeSpan.FromMinutes(5);
    private const string CentralHub = "https://127.0.0.2:9000";

    [Fact]
    public async Task Each_level_is_one_command_within_its_budget_and_phase_1_leaves_all_77_agents_healthy_on_centralhub()
    {
        await stacks.ResetAsync();
        var committedPc2 = File.ReadAllText(stacks.Project.PathOf("Pulumi.pc2.yaml"));
        var inventory = stacks.Inventory;
        var batchAgent = inventory.On("pc2").First(a => a.Wave == Wave.Batch1).Name;
        var week1 = (await HistoryAsync())[^1]!["version"]!.GetValue<int>();
        stacks.Project.Replace("Pulumi.pc2.yaml", "resilience:rolloutWeek: 1", "resilience:rolloutWeek: 2");
        await stacks.MustRunAsync("up", "--stack", "pc2", "--yes");
        Assert.NotNull(await AgentAsync("127.0.0.3", batchAgent, "pushTarget"));

        // Level 2: the previous week, and the stack file follows (the issue's report: it still said week 2).
        var level2 = await TimedAsync("rollback", "--stack", "pc2", "--to", week1.ToString(), "--yes");
        output.WriteLine($"level 2 (rollback --stack pc2 --to {week1}, week 2 -> week 1): {level2.TotalSeconds:F1} s (budget {Level2Budget.TotalMinutes} min)");
        Assert.True(level2 < Level2Budget, $"level 2 took {level2}");
        Assert.Equal(committedPc2, File.ReadAllText(stacks.Project.PathOf("Pulumi.pc2.yaml")));
        var preview = await stacks.MustRunAsync("preview", "--stack", "pc2", "--expect-no-changes");
        Assert.Contains($"is a rollback", preview.Stdout);
        Assert.Contains($"to version {week1}", preview.Stdout);
        var rollback = (await HistoryAsync())[^1]!;
        Assert.Equal(week1.ToString(), rollback["rolledBackTo"]?.GetValue<string>());
        // The batch's files are gone, and its agents were told: back to scraped only, no push target.
        Assert.False(File.Exists(stacks.Project.PathOf($"var/pc2/agents/{inventory.Agents.First(a => a.Name == batchAgent).ConfigFileName}")));
        Assert.Null(await AgentAsync("127.0.0.3", batchAgent, "pushTarget"));

        // Level 1: one component, EdgeHub, back to the last version's config after a change that broke nothing but is unwanted.
        stacks.Project.Append("Pulumi.pc2.yaml", "  resilience:edgeScrapeInterval: 7s\n");
        await stacks.MustRunAsync("up", "--stack", "pc2", "--yes");
        var edgeConfig = stacks.Project.PathOf("var/pc2/edgehub/prometheus.yml");
        Assert.Contains("scrape_interval: 7s", File.ReadAllText(edgeConfig));
        var level1 = await TimedAsync("rollback", "--stack", "pc2", "--to", rollback["version"]!.GetValue<int>().ToString(), "--yes",
            "--target", "urn:resilience:pc2::file:file::edgehub/prometheus.yml", "--target", "urn:resilience:pc2::docker:container::edgehub");
        output.WriteLine($"level 1 (rollback --stack pc2 --to N --target EdgeHub's config and container): {level1.TotalSeconds:F1} s (budget {Level1Budget.TotalMinutes} min)");
        Assert.True(level1 < Level1Budget, $"level 1 took {level1}");
        Assert.DoesNotContain("scrape_interval: 7s", File.ReadAllText(edgeConfig));
        Assert.True((await Http.GetAsync("https://127.0.0.3:9100/-/ready")).IsSuccessStatusCode, "EdgeHub is not ready after level 1");
        stacks.Project.Replace("Pulumi.pc2.yaml", "  resilience:edgeScrapeInterval: 7s\n", "");

        // Level 3: Phase 1 on both machines, then every agent healthy and on CentralHub.
        var clock = Stopwatch.StartNew();
        var since = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        foreach (var stack in new[] { "pc2", "mainpc" }) await stacks.MustRunAsync("rollback", "--stack", stack, "--to", "phase1", "--yes");
        var applied = clock.Elapsed;
        var healthy = await Eventually.WithinAsync(Level3Budget, async () => (await UnhealthyAsync(inventory, since)).Count == 0);
        var unhealthy = await UnhealthyAsync(inventory, since);
        Assert.True(healthy is not null, $"after Phase 1, {unhealthy.Count} of 77 are not healthy on CentralHub: {string.Join(", ", unhealthy.Take(20))}");
        var level3 = clock.Elapsed;
        output.WriteLine($"level 3 (rollback --to phase1 on pc2 then mainpc): applied in {applied.TotalSeconds:F1} s, all 77 agents healthy on CentralHub " +
            $"after {level3.TotalSeconds:F1} s (budget {Level3Budget.TotalMinutes} min)");
        Assert.True(level3 < Level3Budget, $"level 3 took {level3}");

        foreach (var stack in DemoStacks.Both) Assert.Contains("resilience:rolloutWeek: 0", File.ReadAllText(stacks.Project.PathOf($"Pulumi.{stack}.yaml")));
        foreach (var gone in new[] { "pc2-edgehub", "pc2-pushgateway", "pc2-nats", "pc2-runtime", "mainpc-nats", "mainpc-runtime" })
            Assert.Null(DockerCli.Inspect(gone, "{{.Id}}"));
        foreach (var running in new[] { "mainpc-centralhub", "mainpc-pushgateway", "mainpc-demo-fleet", "pc2-demo-fleet" })
            Assert.True(DockerCli.IsRunning(running), $"{running} is not running in Phase 1");
        var volumes = Tool.Run("docker", "volume", "ls", "-q").Output;
        foreach (var kept in new[] { "pc2-edgehub-data", "pc2-nats-data", "pc2-runtime-data", "pc2-pushgateway-data", "mainpc-nats-data" })
            Assert.Contains(kept, volumes);
        await stacks.MustRunAsync("preview", "--stack", "pc2", "--expect-no-changes");
    }

    /// <summary>
    /// machine/agent of every agent not healthy: not running in its fleet, not pushing to MainPC's Pushgateway, or
    /// without a `demo_agent_up 1` on CentralHub sampled after <paramref name="since"/> (what EdgeHub remote-wrote before is older).
    /// </summary>
    private async Task<List<string>> UnhealthyAsync(AgentInventory inventory, long since)
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
                var agents = JsonNode.Parse(await Http.GetStringAsync($"https://{address}:9190/agents"))!.AsArray();
                foreach (var a in agents.Where(a => (string?)a!["mode"] == "running" && a["error"] is null
                    && ((string?)a["pushTarget"])?.StartsWith("https://127.0.0.2:9091/", StringComparison.Ordinal) == true && (long?)a["pushesOk"] > 0))
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

    private async Task<string?> AgentAsync(string address, string agent, string field) =>
        (string?)JsonNode.Parse(await Http.GetStringAsync($"https://{address}:9190/agents/{agent}"))![field];

    private async Task<JsonArray> HistoryAsync() =>
        JsonNode.Parse((await stacks.MustRunAsync("stack", "history", "--stack", "pc2", "--json")).Stdout)!.AsArray();

    private async Task<TimeSpan> TimedAsync(params string[] args)
    {
        var clock = Stopwatch.StartNew();
        await stacks.MustRunAsync(args);
        return clock.Elapsed;
    }
}
