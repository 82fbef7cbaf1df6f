using Resilience.Operations.Gates;
using Resilience.Testing;

namespace Resilience.Tests.Operations.Gates;

/// <summary>The evaluator's rules (Argo's): measurements over the observation, failure and inconclusive limits, baselines.</summary>
public sealed class GateEvaluatorTests : IDisposable
{
    private readonly TempDir _dir = new();

    /// <summary>Answers from a script, one per measurement (the last repeats).</summary>
    private sealed class ScriptedProbe(params ProbeAnswer[] answers) : IProbe
    {
        private int _next;

        public int Calls => _next;

        public Task<ProbeAnswer> MeasureAsync(ProbeSpec spec, CancellationToken ct) =>
            Task.FromResult(answers[Math.Min(_next++, answers.Length - 1)]);
    }

    private GateContext Context(string machine = "pc2") => new("pc2", machine, new Dictionary<string, GateValue>(), _ => [],
        new GateBaselines(Path.Combine(_dir.Path, "baselines.json")));

    private static CheckDefinition Check(string condition = "result == 1", int failureLimit = 0, int inconclusiveLimit = 0,
        OnNoData onNoData = OnNoData.Fail, string? baseline = null, string[]? machines = null) => new()
        {
            Name = "c",
            Probe = new ProbeSpec.LeafLink("mainpc"),
            SuccessCondition = Condition.Parse(condition, new HashSet<string> { "result", "baseline" }),
            Interval = TimeSpan.FromMilliseconds(10),
            Observation = TimeSpan.FromMilliseconds(50),
            FailureLimit = failureLimit,
            InconclusiveLimit = inconclusiveLimit,
            OnNoData = onNoData,
            Baseline = baseline,
            Machines = machines ?? [],
        };

    private static GateDefinition Gate(params CheckDefinition[] checks) => new("g", null, "g.yaml", checks);

    private static ProbeAnswer Value(double v) => ProbeAnswer.One("leafnodes", GateValue.Of(v));

    [Fact]
    public async Task Now_takes_one_measurement_and_an_observation_one_per_interval()
    {
        var probe = new ScriptedProbe(Value(1));
        var now = (await new GateEvaluator(probe, Context()).EvaluateAsync(Gate(Check()), Observation.Now, null, default));
        Assert.Equal(1, probe.Calls);
        Assert.True(now.Go);

        var observed = (await new GateEvaluator(probe, Context()).EvaluateAsync(Gate(Check()), Observation.Over(), null, default));
        Assert.Equal(5, observed.Checks[0].Measurements.Count);
    }

    [Fact]
    public async Task Failures_up_to_the_limit_pass_one_more_fails_and_stops_measuring()
    {
        var answers = new[] { Value(0), Value(1), Value(0), Value(1), Value(1) };
        var tolerant = (await new GateEvaluator(new ScriptedProbe(answers), Context()).EvaluateAsync(Gate(Check(failureLimit: 2)), Observation.Over(), null, default));
        Assert.Equal(Phase.Passed, tolerant.Checks[0].Phase);

        var strict = (await new GateEvaluator(new ScriptedProbe(answers), Context()).EvaluateAsync(Gate(Check(failureLimit: 1)), Observation.Over(), null, default));
        Assert.Equal(Phase.Failed, strict.Checks[0].Phase);
        Assert.Equal(3, strict.Checks[0].Measurements.Count);
        Assert.False(strict.Go);
        Assert.Equal("No-Go", strict.Verdict);
    }

    [Fact]
    public async Task No_data_beyond_the_inconclusive_limit_is_an_inconclusive_check_and_no_go()
    {
        var empty = new ProbeAnswer.NoData("the query returned no series");
        var result = (await new GateEvaluator(new ScriptedProbe(empty), Context())
            .EvaluateAsync(Gate(Check(onNoData: OnNoData.Inconclusive, inconclusiveLimit: 1)), Observation.Over(), null, default));

        Assert.Equal(Phase.Inconclusive, result.Checks[0].Phase);
        Assert.False(result.Go);
        var passing = (await new GateEvaluator(new ScriptedProbe(empty), Context())
            .EvaluateAsync(Gate(Check(onNoData: OnNoData.Pass)), Observation.Now, null, default));
        Assert.True(passing.Go);
    }

    [Fact]
    public async Task A_baseline_is_recorded_by_the_first_evaluation_and_compared_by_the_next()
    {
        var check = Check("result <= baseline * 1.1", baseline: "push-p99");
        var first = (await new GateEvaluator(new ScriptedProbe(Value(0.2)), Context()).EvaluateAsync(Gate(check), Observation.Now, null, default));
        Assert.True(first.Go);
        Assert.Contains("baseline 'push-p99' recorded: 0.2", first.Checks[0].Detail, StringComparison.Ordinal);

        Assert.True((await new GateEvaluator(new ScriptedProbe(Value(0.22)), Context()).EvaluateAsync(Gate(check), Observation.Now, null, default)).Go);
        Assert.False((await new GateEvaluator(new ScriptedProbe(Value(0.23)), Context()).EvaluateAsync(Gate(check), Observation.Now, null, default)).Go);
    }

    [Fact]
    public async Task A_check_for_other_machines_is_left_out()
    {
        var result = (await new GateEvaluator(new ScriptedProbe(Value(0)), Context("mainpc"))
            .EvaluateAsync(Gate(Check(machines: ["pc2"]), Check("result == 0") with { Name = "d" }), Observation.Now, null, default));

        Assert.Equal(["d"], result.Checks.Select(c => c.Name));
    }

    [Fact]
    public async Task A_probe_error_fails_the_measurement_whatever_onNoData_says()
    {
        var result = (await new GateEvaluator(new ScriptedProbe(new ProbeAnswer.Error("connection refused")), Context())
            .EvaluateAsync(Gate(Check(onNoData: OnNoData.Pass)), Observation.Now, null, default));

        Assert.Equal(Phase.Failed, result.Checks[0].Phase);
        Assert.Equal("connection refused", result.Checks[0].Detail);
    }

    [Fact]
    public async Task A_failed_check_makes_the_gate_no_go_at_once_and_stops_the_others()
    {
        var slow = Check("result == 1") with { Name = "slow", Interval = TimeSpan.FromSeconds(10), Observation = TimeSpan.FromMinutes(5) };
        var failing = Check("result == 0") with { Name = "failing" };
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var result = await new GateEvaluator(new ScriptedProbe(Value(1)), Context()).EvaluateAsync(Gate(slow, failing), Observation.Over(), null, default);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Equal([Phase.Passed, Phase.Failed], result.Checks.Select(c => c.Phase));
        Assert.Equal(["failing"], result.Blocking.Select(c => c.Name));
    }

    [Fact]
    public void An_observation_given_in_seconds_still_takes_several_measurements_and_the_files_own_keeps_its_interval()
    {
        var check = Check() with { Interval = TimeSpan.FromSeconds(30), Observation = TimeSpan.FromMinutes(10) };

        Assert.Equal((TimeSpan.FromSeconds(30), 20), GateEvaluator.Schedule(check, Observation.Over()));
        Assert.Equal((TimeSpan.FromSeconds(4), 5), GateEvaluator.Schedule(check, Observation.Over(TimeSpan.FromSeconds(20))));
        Assert.Equal((TimeSpan.FromSeconds(1), 3), GateEvaluator.Schedule(check, Observation.Over(TimeSpan.FromSeconds(3))));
        Assert.Equal((TimeSpan.FromSeconds(30), 1), GateEvaluator.Schedule(check, Observation.Now));
    }

    public void Dispose() => _dir.Dispose();
}
