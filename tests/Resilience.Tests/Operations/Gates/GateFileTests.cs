using Resilience.Operations.Gates;
using Resilience.Operations.Rollout;
using Resilience.Stack.Config;
using Resilience.Testing;

namespace Resilience.Tests.Operations.Gates;

public sealed class GateFileTests : IDisposable
{
    private readonly TempDir _dir = new();

    private const string Good = """
        gate: demo
        defaults:
          interval: 10s
          observation: 1m
        checks:
          - name: edgehub-up
            kind: promql
            hub: edgehub
            query: up{job="edgehub"}
            successCondition: result == 1
            onNoData: fail
          - name: leaf
            kind: nats
            check: leafLink
            machine: mainpc
            successCondition: result >= 1
            onNoData: inconclusive
            failureLimit: 2
        """;

    private string Write(string text)
    {
        var path = Path.Combine(_dir.Path, "gate.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>The gate durations of a stack: a production stack (Pulumi.yaml's defaults) or a committed demo stack.</summary>
    private static GateDurations Durations(string dir, string stack)
    {
        var config = StackConfig.Load(dir, stack);
        return StackSettings.Read(new TypedConfig(config, ConfigSecrets.Decrypter(config))).Gates;
    }

    /// <summary>A stack file that sets nothing but its machine: every gate duration is Pulumi.yaml's (the seeds').</summary>
    private static TempProject Production()
    {
        var project = new TempProject();
        project.Write("Pulumi.prod.yaml", "config:\n  resilience:machine: pc2\n");
        return project;
    }

    [Fact]
    public void Every_committed_gate_file_reads_and_every_stage_has_one()
    {
        var folder = Path.Combine(RepoPaths.Root, "gates");
        using var production = Production();
        var seeds = Durations(production.Dir, "prod");
        foreach (var stage in RolloutStage.All(batched: true))
        {
            var gate = GateFile.Load(Path.Combine(folder, stage.GateFile), seeds);
            Assert.NotEmpty(gate.Checks);
            Assert.All(gate.Checks, c => Assert.True(c.Observation > TimeSpan.Zero, $"{stage.GateFile}: {c.Name} has no observation period"));
        }
        // The seeds' periods, from Pulumi.yaml: 24 h pilot overlap, 10 min per batch, 8 h for MainPC, 168 h validation.
        Assert.Equal(TimeSpan.FromHours(24), GateFile.Load(Path.Combine(folder, "week1.yaml"), seeds).Checks[0].Observation);
        Assert.Equal(TimeSpan.FromMinutes(10), GateFile.Load(Path.Combine(folder, "week2-batch.yaml"), seeds).Checks[0].Observation);
        Assert.Equal(TimeSpan.FromMinutes(10), GateFile.Load(Path.Combine(folder, "week2.yaml"), seeds).Checks[0].Observation);
        Assert.Equal(TimeSpan.FromHours(8), GateFile.Load(Path.Combine(folder, "week3.yaml"), seeds).Checks[0].Observation);
        Assert.Equal(TimeSpan.FromHours(168), GateFile.Load(Path.Combine(folder, "week4.yaml"), seeds).Checks[0].Observation);
        Assert.Equal(TimeSpan.FromMinutes(10), GateFile.Load(Path.Combine(folder, "phase1.yaml"), seeds).Checks[0].Observation);
        // The seeds' uptime windows: an hour for week 3's emergency stop, the week for week 4's 99.9 %.
        Assert.Equal(new ProbeSpec.PromQl("centralhub", "avg_over_time(up{job=\"agents\"}[1h])", null), Check(folder, "week3.yaml", seeds, "agent-uptime-99").Probe);
        Assert.Equal(new ProbeSpec.PromQl("centralhub", "avg_over_time(up{job=\"agents\"}[168h])", null), Check(folder, "week4.yaml", seeds, "agent-uptime-999").Probe);
    }

    [Theory]
    [InlineData("mainpc")]
    [InlineData("pc2")]
    public void The_committed_demo_stacks_observe_for_seconds_and_scale_the_uptime_windows(string stack)
    {
        var folder = Path.Combine(RepoPaths.Root, "gates");
        var demo = Durations(RepoPaths.Root, stack);
        foreach (var stage in RolloutStage.All(batched: true))
        {
            var gate = GateFile.Load(Path.Combine(folder, stage.GateFile), demo);
            Assert.All(gate.Checks, c => Assert.Equal(TimeSpan.FromSeconds(10), c.Observation));
            // Still several measurements each: the interval shrinks to fit the short observation.
            Assert.All(gate.Checks, c => Assert.Equal((TimeSpan.FromSeconds(2), 5), GateEvaluator.Schedule(c, Observation.Over())));
        }
        Assert.Equal(new ProbeSpec.PromQl("centralhub", "avg_over_time(up{job=\"agents\"}[2m])", null), Check(folder, "week3.yaml", demo, "agent-uptime-99").Probe);
        Assert.Equal(new ProbeSpec.PromQl("centralhub", "avg_over_time(up{job=\"agents\"}[3m])", null), Check(folder, "week4.yaml", demo, "agent-uptime-999").Probe);
    }

    private static CheckDefinition Check(string folder, string file, GateDurations durations, string name) =>
        GateFile.Load(Path.Combine(folder, file), durations).Checks.Single(c => c.Name == name);

    [Theory]
    [InlineData("soon", "'soon' is not a duration")]
    [InlineData("0", "'0' must be more than 0")]
    [InlineData("1.5h", "write 1h30m")]
    public void A_bad_gate_duration_in_a_stack_file_is_refused_at_its_key_before_anything_runs(string value, string problem)
    {
        using var p = new TempProject();
        p.Replace("Pulumi.pc2.yaml", "  resilience:gateWeek3Observation: 10s\n", $"  resilience:gateWeek3Observation: {value}\n");
        var config = StackConfig.Load(p.Dir, "pc2");

        // StackSettings is what preview, up, gate and rollout read first: a bad value stops them all, naming file and key.
        var e = Assert.Throws<ConfigException>(() => StackSettings.Read(new TypedConfig(config, ConfigSecrets.Decrypter(config))));
        Assert.Equal(p.PathOf("Pulumi.pc2.yaml"), e.File);
        Assert.Matches(@"^line \d+: resilience:gateWeek3Observation$", e.Where);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gate_key_the_stack_config_does_not_declare_is_refused_at_its_line_with_the_nearest_name()
    {
        using var production = Production();
        var seeds = Durations(production.Dir, "prod");
        var path = Write(Good.Replace("  observation: 1m", "  observation: ${gateWeek1Observaton}", StringComparison.Ordinal));

        var e = Assert.Throws<ConfigException>(() => GateFile.Load(path, seeds));
        Assert.Equal((path, "line 4: defaults.observation"), (e.File, e.Where));
        Assert.Contains("'${gateWeek1Observaton}' is not a gate key of the stack config", e.Problem, StringComparison.Ordinal);
        Assert.Contains("did you mean 'gateWeek1Observation'?", e.Problem, StringComparison.Ordinal);

        var query = Write(Good.Replace("query: up{job=\"edgehub\"}", "query: avg_over_time(up[${uptime}])", StringComparison.Ordinal));
        var q = Assert.Throws<ConfigException>(() => GateFile.Load(query, seeds));
        Assert.Equal("line 9: checks[0].query", q.Where);

        // Read without a stack, a file that names a key says what it needs.
        var alone = Assert.Throws<ConfigException>(() => GateFile.Load(Write(Good.Replace("  observation: 1m", "  observation: ${gateWeek1Observation}", StringComparison.Ordinal))));
        Assert.Contains("names a stack config key", alone.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gate_key_fills_a_timing_and_a_query_window_from_the_stack_config()
    {
        var durations = new GateDurations(new Dictionary<string, TimeSpan> { ["gateDemo"] = TimeSpan.FromSeconds(90) });
        var path = Write(Good.Replace("  observation: 1m", "  observation: ${gateDemo}", StringComparison.Ordinal)
            .Replace("query: up{job=\"edgehub\"}", "query: avg_over_time(up[${gateDemo}]) > ${gateDemo}", StringComparison.Ordinal));

        var gate = GateFile.Load(path, durations);

        Assert.Equal(TimeSpan.FromSeconds(90), gate.Checks[0].Observation);
        Assert.Equal("avg_over_time(up[1m30s]) > 1m30s", ((ProbeSpec.PromQl)gate.Checks[0].Probe).Query);
    }

    [Fact]
    public void Defaults_fill_what_a_check_leaves_out_and_a_check_overrides_them()
    {
        var gate = GateFile.Load(Write(Good));

        Assert.Equal("demo", gate.Name);
        Assert.Equal((TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), 0, OnNoData.Fail),
            (gate.Checks[0].Interval, gate.Checks[0].Observation, gate.Checks[0].FailureLimit, gate.Checks[0].OnNoData));
        Assert.Equal((2, OnNoData.Inconclusive), (gate.Checks[1].FailureLimit, gate.Checks[1].OnNoData));
        Assert.Equal(6, gate.Checks[0].Count(gate.Checks[0].Observation));
        Assert.Equal(new ProbeSpec.LeafLink("mainpc"), gate.Checks[1].Probe);
    }

    [Theory]
    [InlineData("    onNoData: fail\n  - name: leaf", "    onNoData: never\n  - name: leaf", "line 11: checks[0].onNoData", "'never': expected one of fail, inconclusive, pass")]
    [InlineData("    onNoData: fail\n  - name: leaf", "  - name: leaf", "line 6: checks[0].onNoData", "required")]
    [InlineData("successCondition: result == 1", "successCondition: result === 1", "line 10: checks[0].successCondition", "column 10")]
    [InlineData("successCondition: result == 1", "successCondition: result == baseline", "line 10: checks[0].successCondition", "unknown name 'baseline'")]
    [InlineData("hub: edgehub", "hub: edgehb", "line 8: checks[0].hub", "did you mean 'edgehub'")]
    [InlineData("  interval: 10s", "  intervall: 10s", "line 3: defaults.intervall", "unknown key (did you mean 'interval'?)")]
    [InlineData("  observation: 1m", "  observation: soon", "line 4: defaults.observation", "'soon'")]
    [InlineData("failureLimit: 2", "failureLimit: -1", "line 18: checks[1].failureLimit", "whole number")]
    [InlineData("machine: mainpc", "machine: pc3", "line 15: checks[1].machine", "'pc3'")]
    [InlineData("kind: nats", "kind: smtp", "line 13: checks[1].kind", "expected promql, nats or http")]
    [InlineData("- name: leaf", "- name: edgehub-up", "line 12", "the name 'edgehub-up' is used twice")]
    [InlineData("gate: demo", "gate: [demo", "file", "not valid YAML")]
    [InlineData("  interval: 10s", "  interval: 10s\n bad: [", "line 4", "not valid YAML")]
    public void A_mistake_names_the_file_the_line_and_the_key(string from, string to, string where, string problem)
    {
        Assert.Contains(from, Good, StringComparison.Ordinal);
        var path = Write(Good.Replace(from, to, StringComparison.Ordinal));

        var e = Assert.Throws<ConfigException>(() => GateFile.Load(path));
        Assert.Equal(path, e.File);
        Assert.StartsWith(where, e.Where, StringComparison.Ordinal);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
