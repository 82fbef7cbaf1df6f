using System.Text.Json.Nodes;
using Resilience.IntegrationTests.Engine;
using Resilience.Stack.Inventory;
using Xunit.Abstractions;

namespace Resilience.IntegrationTests.Rollout;

/// <summary>
/// The gates and the rollout on the live demo (both committed demo stacks, <see cref="DemoStacks"/>: real hubs, NATS, runtimes and fleet): the
/// week 1 gate Go with every check shown; failed pilots a No-Go naming the failing checks; an empty query result
/// following onNoData; a step Go; a batch whose agents fail after their restart rolled back by itself, history
/// showing the failed version and the rollback; an override recorded. Observation periods are seconds here.
/// </summary>
[Trait("Category", "Integration")]
[Collection(DemoStacksCollection.Name)]
public sealed class GateAndRolloutTests(DemoStacks stacks, ITestOutputHelper output)
{
    /// <summary>The operator's client: the pair shares one CA and one operator credential.</summary>
    private HttpClient Http => stacks.Access(DemoStacks.MainPc).Http;
    private const string Fleet = "https://127.0.0.3:9190";

    // A failed check ends its gate at once (the others stop unmeasured), so the failing case has a gate of its own.
    private const string EmptyGateThatFails = """
        gate: empty-fails
        checks:
          - name: nothing-fails
            kind: promql
            hub: edgehub
            query: no_such_metric_anywhere
            successCondition: result == 1
            onNoData: fail
        """;

    private const string EmptyGateThatWaits = """
        gate: empty-waits
        checks:
          - name: nothing-is-inconclusive
            kind: promql
            hub: edgehub
            query: no_such_metric_anywhere
            successCondition: result == 1
            onNoData: inconclusive
          - name: nothing-passes
            kind: promql
            hub: edgehub
            query: no_such_metric_anywhere
            successCondition: result == 1
            onNoData: pass
        """;

    [Fact]
    public async Task Gates_decide_the_rollout_and_a_batch_that_fails_after_its_restart_is_rolled_back()
    {
        await stacks.ResetAsync();
        var project = stacks.Project;
        project.Write("gates/empty-fails.yaml", EmptyGateThatFails);
        project.Write("gates/empty-waits.yaml", EmptyGateThatWaits);
        var inventory = stacks.Inventory;
        var pilots = inventory.On("pc2").Where(a => a.Wave == Wave.Pilot).Select(a => a.Name).ToList();
        var batch1 = inventory.On("pc2").Where(a => a.Wave == Wave.Batch1).Select(a => a.Name).ToList();
        Task<CliRunner.Result> Cli(params string[] args) => stacks.RunAsync(args);

        // A healthy demo: week 1 is Go once the pilots' first samples are in both hubs, with every check shown.
        CliRunner.Result gate = null!;
        var go = await Eventually.WithinAsync(TimeSpan.FromMinutes(2), async () => (gate = await Cli("gate", "--stack", "pc2", "--json")).ExitCode == 0);
        Assert.True(go is not null, $"week 1 never Go: {gate}");
        output.WriteLine($"week 1 Go {go!.Value.TotalSeconds:0} s after the reset");
        var checks = Checks(gate);
        Assert.Equal(12, checks.Count);
        Assert.All(checks, c => Assert.Equal("passed", (string?)c["result"]));
        Assert.Contains(checks, c => (string?)c["name"] == "cross-machine-messaging");
        var recorded = await Cli("gate", "--stack", "pc2", "--record");
        Assert.True(recorded.ExitCode == 0, recorded.ToString());
        Assert.Contains("Go", recorded.Stdout, StringComparison.Ordinal);

        // The pilots fail: No-Go, naming the checks that saw it; exit 1.
        foreach (var pilot in pilots) await PostAsync($"/agents/{pilot}/fail");
        var nogo = await Cli("gate", "--stack", "pc2", "--json");
        Assert.True(nogo.ExitCode == 1, nogo.ToString());
        var failed = Checks(nogo).Where(c => (string?)c["result"] != "passed").Select(c => (string)c["name"]!).ToList();
        Assert.Contains("pilots-healthy", failed);
        Assert.DoesNotContain("edgehub-operational", failed);
        output.WriteLine($"pilots failed: No-Go on {string.Join(", ", failed)}");
        foreach (var pilot in pilots) await PostAsync($"/agents/{pilot}/recover");

        // An empty query result is what onNoData says, check by check.
        var failing = await Cli("gate", "--stack", "pc2", "--file", "empty-fails.yaml", "--json");
        var waiting = await Cli("gate", "--stack", "pc2", "--file", "empty-waits.yaml", "--json");
        Assert.True(failing.ExitCode == 1, failing.ToString());
        Assert.True(waiting.ExitCode == 1, waiting.ToString()); // inconclusive is not Go
        Assert.Equal(["failed", "inconclusive", "passed"], Checks(failing).Concat(Checks(waiting)).Select(c => (string)c["result"]!));
        Assert.All(Checks(failing).Concat(Checks(waiting)), c => Assert.Equal("no data", (string?)c["value"]));

        // Week 1 -> week 2 batch 0: Go, recorded on the new version.
        var step = await Cli("rollout", "next", "--stack", "pc2", "--observe", "10s");
        Assert.True(step.ExitCode == 0, $"week 1 -> week 2 batch 0: {step}");
        Assert.Contains("resilience:migrationBatches: \"0\"", File.ReadAllText(project.PathOf("Pulumi.pc2.yaml")).Replace("'", "\"", StringComparison.Ordinal), StringComparison.Ordinal);

        // Batch 1: its agents are restarted on their new files, then fail; the gate says No-Go and the step is undone.
        var newcomers = batch1.Except(pilots).ToList();
        var next = Task.Run(() => Cli("rollout", "next", "--stack", "pc2", "--observe", "20s"));
        var restarted = await Eventually.WithinAsync(TimeSpan.FromMinutes(5), async () => await PhaseAsync(newcomers[0]) == 2 || next.IsCompleted);
        if (next.IsCompleted) Assert.Fail($"the batch step ended before its agents were restarted: {await next}");
        Assert.True(restarted is not null, $"{newcomers[0]} was not restarted on its batch 1 file");
        foreach (var agent in newcomers) await PostAsync($"/agents/{agent}/fail");
        var rolledBack = await next;
        output.WriteLine(rolledBack.Stdout);
        Assert.True(rolledBack.ExitCode == 1, rolledBack.ToString());
        Assert.Contains("Rolled back", rolledBack.Stdout, StringComparison.Ordinal);
        Assert.Contains("resilience:migrationBatches: \"0\"", File.ReadAllText(project.PathOf("Pulumi.pc2.yaml")).Replace("'", "\"", StringComparison.Ordinal), StringComparison.Ordinal);

        var history = JsonNode.Parse((await Cli("stack", "history", "--stack", "pc2", "--json")).Stdout)!.AsArray();
        var rollback = history[^1]!;
        var failedVersion = history[^2]!;
        Assert.Equal("rollback", (string?)rollback["command"]);
        var rollbackNote = rollback["annotations"]!.AsArray().Single()!;
        Assert.Equal(("rollout-rollback", (int)failedVersion["version"]!), ((string?)rollbackNote["kind"], (int)rollbackNote["failedVersion"]!));
        var gateNote = failedVersion["annotations"]!.AsArray().Single(a => (string?)a!["kind"] == "gate")!;
        Assert.Equal(("week2-batch", "No-Go", "week 2 batch 1"), ((string?)gateNote["gate"], (string?)gateNote["result"], (string?)gateNote["stage"]));
        Assert.Contains("migrated-healthy", gateNote["failedChecks"]!.AsArray().Select(f => (string?)f!["name"]));
        var table = await Cli("stack", "history", "--stack", "pc2");
        Assert.Contains("gate week2-batch No-Go", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("rolled back", table.Stdout, StringComparison.Ordinal);

        // The restored stage's gate passed before the step, so the next step is allowed; a No-Go recorded on it is
        // a refusal (exit 2, nothing changed) until --override, which is recorded with the step.
        foreach (var agent in newcomers) await PostAsync($"/agents/{agent}/restart");
        foreach (var pilot in pilots) await PostAsync($"/agents/{pilot}/fail");
        Assert.Equal(1, (await Cli("gate", "--stack", "pc2", "--record")).ExitCode);
        foreach (var pilot in pilots) await PostAsync($"/agents/{pilot}/recover");
        var refused = await Cli("rollout", "next", "--stack", "pc2", "--observe", "5s");
        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains("said No-Go", refused.Stderr, StringComparison.Ordinal);
        var overridden = await Cli("rollout", "next", "--stack", "pc2", "--observe", "20s", "--override", "pilots were failed on purpose by the test");
        Assert.True(overridden.ExitCode == 0, overridden.ToString());
        var stepNote = JsonNode.Parse((await Cli("stack", "history", "--stack", "pc2", "--json")).Stdout)!.AsArray()[^1]!["annotations"]!.AsArray()
            .Single(a => (string?)a!["kind"] == "rollout-step")!;
        Assert.Equal("pilots were failed on purpose by the test", (string?)stepNote["override"]);
    }

    private static List<JsonNode> Checks(CliRunner.Result gate) =>
        JsonNode.Parse(gate.Stdout)!["checks"]!.AsArray().Select(c => c!).ToList();

    private async Task PostAsync(string path)
    {
        using var answer = await Http.PostAsync(Fleet + path, null);
        Assert.True(answer.IsSuccessStatusCode, $"POST {path}: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
    }

    private async Task<int?> PhaseAsync(string agent) =>
        (int?)JsonNode.Parse(await Http.GetStringAsync($"{Fleet}/agents/{agent}"))!["phase"];
}
