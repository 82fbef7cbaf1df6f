namespace Resilience.Operations.Gates;

/// <summary>
/// Runs a gate's checks side by side: each measures every interval over its observation (or once, now) and is
/// assessed by Argo's rule. Once one check has failed the gate is No-Go: the others stop (a batch is rolled back
/// without waiting out the observation). Reports each measurement as it lands.
/// </summary>
public sealed class GateEvaluator(IProbe probe, GateContext context, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task<GateResult> EvaluateAsync(GateDefinition gate, Observation observation, IProgress<(string Check, Measurement Measurement)>? progress, CancellationToken ct)
    {
        var started = _time.GetUtcNow();
        var checks = gate.Checks.Where(c => c.Machines.Count == 0 || c.Machines.Contains(context.Machine, StringComparer.Ordinal)).ToList();
        using var noGo = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var results = await Task.WhenAll(checks.Select(c => RunAsync(gate, c, observation, progress, noGo)));
        ct.ThrowIfCancellationRequested();
        return new GateResult(gate.Name, gate.File, context.Stack, started, _time.GetUtcNow(), results);
    }

    private async Task<CheckResult> RunAsync(GateDefinition gate, CheckDefinition check, Observation observation,
        IProgress<(string, Measurement)>? progress, CancellationTokenSource noGo)
    {
        var ct = noGo.Token;
        var (interval, count) = Schedule(check, observation);
        var measurements = new List<Measurement>();
        var expected = check.Probe is ProbeSpec.PromQl { Expect: { } set } ? context.AgentsOf(set) : null;
        try
        {
            // The initial delay is the system's physics (a restarted agent's first scrape), not the observation: never shortened.
            if (observation.Observe && check.InitialDelay > TimeSpan.Zero) await Task.Delay(check.InitialDelay, _time, ct);
            for (var i = 0; i < count; i++)
            {
                if (i > 0) await Task.Delay(interval, _time, ct);
                var answer = await probe.MeasureAsync(check.Probe, ct);
                var measurement = Judge(gate, check, answer, expected);
                measurements.Add(measurement);
                progress?.Report((check.Name, measurement));
                if (measurements.Count(m => m.Phase == Phase.Failed) > check.FailureLimit)
                {
                    await noGo.CancelAsync();
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (noGo.IsCancellationRequested && measurements.Count(m => m.Phase == Phase.Failed) <= check.FailureLimit)
        {
            // Another check failed first (or the caller stopped): what was measured stands; nothing measured is inconclusive.
            if (measurements.Count == 0) measurements.Add(new Measurement(_time.GetUtcNow(), Phase.Inconclusive, "not measured", "stopped: another check had already failed the gate"));
        }
        return new CheckResult(check.Name, check.Description, check.Probe.Describe(), check.SuccessCondition.Text,
            check.OnNoData.ToString().ToLowerInvariant(), CheckResult.Assess(measurements, check.FailureLimit, check.InconclusiveLimit),
            measurements, check.FailureLimit, check.InconclusiveLimit);
    }

    /// <summary>
    /// One measurement now; else one per interval over the observation (the check's own, or one given for all). A short
    /// observation (the demo's seconds, from its stack config or --observe) still takes at least
    /// <see cref="MinimumMeasurements"/>: its interval shrinks to fit, never below 1 s (nor above the file's).
    /// </summary>
    public static (TimeSpan Interval, int Count) Schedule(CheckDefinition check, Observation observation)
    {
        if (!observation.Observe) return (check.Interval, 1);
        var period = observation.Period ?? check.Observation;
        var interval = TimeSpan.FromTicks(Math.Min(check.Interval.Ticks, Math.Max(TimeSpan.TicksPerSecond, period.Ticks / MinimumMeasurements)));
        return (interval, Math.Max(1, (int)(period.Ticks / interval.Ticks)));
    }

    public const int MinimumMeasurements = 5;

    private Measurement Judge(GateDefinition gate, CheckDefinition check, ProbeAnswer answer, IReadOnlyCollection<string>? expected)
    {
        var now = _time.GetUtcNow();
        GateValue? baseline = null;
        if (check.Baseline is { } name)
        {
            baseline = context.Baselines.Find(name);
            if (baseline is null && answer is ProbeAnswer.Values { Series: { Count: > 0 } series } && series.All(s => s.Value.Number is not null))
            {
                var worst = series.Max(s => s.Value.Number!.Value);
                context.Baselines.Record(name, worst, gate.Name);
                return new Measurement(now, Phase.Passed, GateValue.Format(worst), $"baseline '{name}' recorded: {GateValue.Format(worst)}");
            }
            if (baseline is null && answer is ProbeAnswer.Values)
                return new Measurement(now, Phase.Failed, "not a number", $"baseline '{name}' needs a numeric answer");
        }
        return MeasurementJudge.Judge(check, answer, expected, context.Variables, baseline, now);
    }
}
