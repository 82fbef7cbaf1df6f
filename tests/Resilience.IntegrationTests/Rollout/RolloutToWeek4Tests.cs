using System.Globalization;
using Resilience.IntegrationTests.Engine;

namespace Resilience.IntegrationTests.Rollout;

/// <summary>
/// The whole rollout on the live demo (both committed demo stacks, real hubs, NATS, runtimes and fleet), brought up
/// once: EdgeHub stopped makes week 1 No-Go naming the checks that saw it; then `rollout next --continue` takes PC2
/// through week 2's batches and MainPC through its weeks to week 4, every step decided by its gate over the demo stacks'
/// own periods (seconds, and minutes for the uptime windows: stack config, no --observe); history shows each version's
/// gate and every verdict is on its machine's Pushgateway, where the dashboard reads it.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RolloutToWeek4Tests(ITestOutputHelper output)
{
    /// <summary>The machines, in the order they come up.</summary>
    private static readonly string[] Stacks = ["mainpc", "pc2"];

    // The committed demo stacks under names and addresses of their own, so the test runs beside the demo-stacks
    // collection instead of after it (the rollout takes minutes).
    private static readonly Dictionary<string, string> StackOf = new() { ["mainpc"] = "it-r4-mainpc", ["pc2"] = "it-r4-pc2" };
    private static readonly Dictionary<string, string> Addresses = new() { ["mainpc"] = LoopbackAddresses.For("r4-mainpc"), ["pc2"] = LoopbackAddresses.For("r4-pc2") };
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(15);
    private const string EdgeHub = "it-r4-pc2-edgehub";

    private static string S(string machine) => StackOf[machine];

    [Fact]
    public async Task EdgeHub_stopped_is_No_Go_and_the_gates_take_the_demo_from_week_1_to_week_4()
    {
        using var project = new TempProject();
        CopyGates(project);
        foreach (var machine in Stacks)
        {
            var committed = File.ReadAllText(Path.Combine(RepoPaths.Root, $"Pulumi.{machine}.yaml"));
            project.Write($"Pulumi.{S(machine)}.yaml", committed.TrimEnd() + $"""

                  resilience:mainpcAddress: {Addresses["mainpc"]}
                  resilience:pc2Address: {Addresses["pc2"]}

                """);
        }
        var environment = new Dictionary<string, string> { ["RESILIENCE_BACKEND_URL"] = $"file://{project.PathOf("state")}" };
        foreach (var stack in Stacks) DockerCli.RemoveLabelled(S(stack));
        var problems = new List<string>();
        var edgeHubStopped = false;
        Task<CliRunner.Result> Cli(params string[] args) => CliRunner.RunAsync(project.Dir, environment, CommandTimeout, args);
        try
        {
            foreach (var stack in Stacks)
            {
                var clock = Stopwatch.StartNew();
                var up = await Cli("up", "--stack", S(stack), "--yes");
                Assert.True(up.ExitCode == 0, $"up {stack}: {up}");
                output.WriteLine($"up {stack}: {clock.Elapsed.TotalSeconds:0.0} s");
            }
            // No passphrase was set, as on a fresh checkout: the first `up` made the project's own, then the pair's material.
            using var access = StackAccess.Read(project.Dir, S("mainpc"), new Dictionary<string, string> { ["PULUMI_CONFIG_PASSPHRASE_FILE"] = project.PathOf(".resilience/passphrase") });
            Assert.True(access.Security is not null, "the committed stacks came up without TLS and credential material");
            var http = access.Http;
            Task<List<string>> GateSeriesAsync(string machine) => GateSeriesOnAsync(http, machine);

            // Week 1 Go on both stacks (PC2's once the pilots' first samples are in both hubs), recorded: a step needs it.
            foreach (var stack in new[] { "pc2", "mainpc" })
            {
                CliRunner.Result gate = null!;
                var go = await Eventually.WithinAsync(TimeSpan.FromMinutes(2), async () => (gate = await Cli("gate", "--stack", S(stack), "--record")).ExitCode == 0);
                Assert.True(go is not null, $"{stack}: week 1 never Go: {gate}");
                output.WriteLine($"{stack}: week 1 Go (recorded) {go!.Value.TotalSeconds:0} s after the ups");
            }

            // (a) EdgeHub stopped: week 1 is No-Go (exit 1), naming the checks that saw it and no check that did not.
            var stop = Tool.Run("docker", ["stop", "--time", "2", EdgeHub]);
            Assert.True(stop.ExitCode == 0, $"docker stop: {stop}");
            edgeHubStopped = true;
            var nogoClock = Stopwatch.StartNew();
            var nogo = await Cli("gate", "--stack", S("pc2"), "--json");
            output.WriteLine($"EdgeHub stopped: gate in {nogoClock.Elapsed.TotalSeconds:0.0} s, exit {nogo.ExitCode}");
            Assert.True(nogo.ExitCode == 1, nogo.ToString());
            var verdict = JsonNode.Parse(nogo.Stdout)!;
            Assert.Equal("No-Go", (string?)verdict["verdict"]);
            var failed = Checks(verdict).Where(c => (string?)c["result"] == "failed").Select(c => (string)c["name"]!).ToList();
            Assert.Contains("edgehub-operational", failed);
            Assert.DoesNotContain("nats-leaf-link", failed);
            Assert.DoesNotContain("nats-streams-pc2", failed);
            var edgehub = Checks(verdict).Single(c => (string?)c["name"] == "edgehub-operational");
            Assert.Equal("error", (string?)edgehub["value"]);
            output.WriteLine($"No-Go on {string.Join(", ", failed)}; edgehub-operational: {edgehub["detail"]}");
            // The No-Go went to PC2's Pushgateway (still up) too: the dashboard shows it.
            Assert.Contains(await GateSeriesAsync("pc2"), s => Has(s, "gate", "week1") && Has(s, "result", "no-go") && Has(s, "week", "1"));

            var start = Tool.Run("docker", ["start", EdgeHub]);
            Assert.True(start.ExitCode == 0, $"docker start: {start}");
            edgeHubStopped = false;
            CliRunner.Result again = null!;
            var back = await Eventually.WithinAsync(TimeSpan.FromMinutes(3), async () => (again = await Cli("gate", "--stack", S("pc2"), "--record")).ExitCode == 0);
            Assert.True(back is not null, $"week 1 never Go again after EdgeHub was started: {again}");
            output.WriteLine($"EdgeHub started: week 1 Go again (recorded) after {back!.Value.TotalSeconds:0} s");

            // (b) The rollout to week 4, each step decided by its gate over the demo stacks' configured periods.
            var times = new Dictionary<string, TimeSpan>();
            foreach (var stack in new[] { "pc2", "mainpc" })
            {
                var clock = Stopwatch.StartNew();
                var rollout = await Cli("rollout", "next", "--stack", S(stack), "--continue");
                times[stack] = clock.Elapsed;
                output.WriteLine($"--- rollout next --stack {stack} --continue: {clock.Elapsed.TotalSeconds:0.0} s, exit {rollout.ExitCode}");
                output.WriteLine(rollout.Stdout);
                Assert.True(rollout.ExitCode == 0, $"{stack}: {rollout}");
                Assert.Contains("Go: the stack is on week 4", rollout.Stdout, StringComparison.Ordinal);
                Assert.Contains("resilience:rolloutWeek: \"4\"", File.ReadAllText(project.PathOf($"Pulumi.{S(stack)}.yaml")).Replace("'", "\"", StringComparison.Ordinal), StringComparison.Ordinal);

                var done = await Cli("rollout", "next", "--stack", S(stack));
                Assert.True(done.ExitCode == 0, done.ToString());
                Assert.Contains("The rollout is complete", done.Stdout, StringComparison.Ordinal);
            }
            output.WriteLine($"week 1 -> week 4: pc2 {times["pc2"].TotalSeconds:0.0} s + mainpc {times["mainpc"].TotalSeconds:0.0} s = {(times["pc2"] + times["mainpc"]).TotalSeconds:0.0} s");

            // History: every step's version carries its stage's gate, Go, observed over the stack config's 10 s.
            var expected = new Dictionary<string, (string Stage, string Gate)[]>
            {
                ["pc2"] = [("week 2 batch 0", "week2-batch"), ("week 2 batch 1", "week2-batch"), ("week 2 batch 2", "week2-batch"),
                    ("week 2 batch 3", "week2"), ("week 3", "week3"), ("week 4", "week4")],
                ["mainpc"] = [("week 2", "week2"), ("week 3", "week3"), ("week 4", "week4")],
            };
            foreach (var stack in Stacks)
            {
                var history = JsonNode.Parse((await Cli("stack", "history", "--stack", S(stack), "--json")).Stdout)!.AsArray().Select(v => v!).ToList();
                var steps = history.Where(v => Notes(v, "rollout-step").Any()).ToList();
                Assert.Equal(expected[stack].Select(e => e.Stage), steps.Select(v => (string)Notes(v, "rollout-step").Single()["to"]!));
                foreach (var (version, (stage, gateName)) in steps.Zip(expected[stack]))
                {
                    var gate = Notes(version, "gate").Single();
                    Assert.Equal((gateName, "Go", stage), ((string?)gate["gate"], (string?)gate["result"], (string?)gate["stage"]));
                    var observed = (double)gate["observedSeconds"]!;
                    // The stack config's 10 s (5 measurements 2 s apart, after a 30 s initial delay but in week 4), not the seeds' hours.
                    Assert.InRange(observed, 8, 60);
                    var step = DateTimeOffset.Parse((string)gate["at"]!, CultureInfo.InvariantCulture) - DateTimeOffset.Parse((string)version["started"]!, CultureInfo.InvariantCulture);
                    output.WriteLine($"{stack} {stage}: version {version["version"]}, gate {gateName} Go, observed {observed:0.0} s, up + gate {step.TotalSeconds:0.0} s");
                }
                var table = (await Cli("stack", "history", "--stack", S(stack))).Stdout;
                output.WriteLine(table);
                Assert.Contains("gate week4 Go", table, StringComparison.Ordinal);
                Assert.Contains("step week 3 -> week 4", table, StringComparison.Ordinal);

                // Every verdict pushed: each gate's latest on the machine's Pushgateway, as the dashboard reads it.
                var series = await GateSeriesAsync(stack);
                foreach (var gateName in expected[stack].Select(e => e.Gate).Distinct())
                    Assert.Contains(series, s => Has(s, "gate", gateName) && Has(s, "stack", S(stack)) && Has(s, "machine", stack) && Has(s, "result", "go"));
                Assert.Contains(series, s => Has(s, "gate", "week4") && Has(s, "week", "4"));
            }
            Assert.Contains(await GateSeriesAsync("pc2"), s => Has(s, "gate", "week2-batch") && Has(s, "batch", "2") && Has(s, "week", "2"));

            // The dashboard's hub has it too: CentralHub scrapes MainPC's Pushgateway (every 30 s).
            var scraped = await Eventually.WithinAsync(TimeSpan.FromMinutes(1), async () =>
                (await http.GetStringAsync($"https://{Addresses["mainpc"]}:9000/api/v1/query?query=" + Uri.EscapeDataString("resilience_gate_result{machine=\"mainpc\",gate=\"week4\",result=\"go\"}")))
                .Contains("\"gate\":\"week4\"", StringComparison.Ordinal));
            Assert.True(scraped is not null, "CentralHub never scraped mainpc's week4 gate result");
        }
        finally
        {
            if (edgeHubStopped) Tool.Run("docker", ["start", EdgeHub]);
            foreach (var stack in Stacks.Reverse())
            {
                var destroy = await Cli("destroy", "--stack", S(stack), "--yes");
                if (destroy.ExitCode != 0) problems.Add($"destroy {stack}: {destroy}");
                DockerCli.RemoveLabelled(S(stack));
            }
        }
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    private static void CopyGates(TempProject project)
    {
        Directory.CreateDirectory(project.PathOf("gates"));
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "gates"))) File.Copy(file, project.PathOf(Path.Combine("gates", Path.GetFileName(file))));
    }

    private static List<JsonNode> Checks(JsonNode verdict) => verdict["checks"]!.AsArray().Select(c => c!).ToList();

    private static IEnumerable<JsonNode> Notes(JsonNode version, string kind) =>
        version["annotations"]!.AsArray().Where(a => (string?)a!["kind"] == kind).Select(a => a!);

    private static async Task<List<string>> GateSeriesOnAsync(HttpClient http, string machine) =>
        (await http.GetStringAsync($"https://{Addresses[machine]}:9091/metrics")).Split('\n')
        .Where(l => l.StartsWith("resilience_gate_result{", StringComparison.Ordinal)).ToList();

    private static bool Has(string series, string label, string value) => series.Contains($"{label}=\"{value}\"", StringComparison.Ordinal);
}
