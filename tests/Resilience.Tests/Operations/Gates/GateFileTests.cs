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

    [Fact]
    public void Every_committed_gate_file_reads_and_every_stage_has_one()
    {
        var folder = Path.Combine(RepoPaths.Root, "gates");
        foreach (var stage in RolloutStage.All(batched: true))
        {
            var gate = GateFile.Load(Path.Combine(folder, stage.GateFile));
            Assert.NotEmpty(gate.Checks);
            Assert.All(gate.Checks, c => Assert.True(c.Observation > TimeSpan.Zero, $"{stage.GateFile}: {c.Name} has no observation period"));
        }
        // The seeds' periods: 24 h pilot overlap, 10 min per batch, 8 h for MainPC, 168 h validation.
        Assert.Equal(TimeSpan.FromHours(24), GateFile.Load(Path.Combine(folder, "week1.yaml")).Checks[0].Observation);
        Assert.Equal(TimeSpan.FromMinutes(10), GateFile.Load(Path.Combine(folder, "week2-batch.yaml")).Checks[0].Observation);
        Assert.Equal(TimeSpan.FromHours(8), GateFile.Load(Path.Combine(folder, "week3.yaml")).Checks[0].Observation);
        Assert.Equal(TimeSpan.FromHours(168), GateFile.Load(Path.Combine(folder, "week4.yaml")).Checks[0].Observation);
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
