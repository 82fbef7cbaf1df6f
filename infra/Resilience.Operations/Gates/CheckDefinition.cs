namespace Resilience.Operations.Gates;

/// <summary>
/// One named check of a gate, in the spirit of an Argo Rollouts AnalysisTemplate metric: measured every
/// <see cref="Interval"/> over <see cref="Observation"/> (one measurement when evaluated "now"), failed when more than
/// <see cref="FailureLimit"/> measurements failed, inconclusive when more than <see cref="InconclusiveLimit"/> were.
/// </summary>
public sealed record CheckDefinition
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    public required ProbeSpec Probe { get; init; }
    public required Condition SuccessCondition { get; init; }
    public required TimeSpan Interval { get; init; }
    public required TimeSpan Observation { get; init; }
    public TimeSpan InitialDelay { get; init; }
    public required int FailureLimit { get; init; }
    public required int InconclusiveLimit { get; init; }
    public required OnNoData OnNoData { get; init; }

    /// <summary>A baseline name: the first evaluation records the value, later ones bind it as <c>baseline</c>.</summary>
    public string? Baseline { get; init; }

    /// <summary>Evaluated only for stacks on these machines; empty = every stack.</summary>
    public IReadOnlyList<string> Machines { get; init; } = [];

    /// <summary>The line of the check in its file, for messages.</summary>
    public int Line { get; init; }

    /// <summary>How many measurements an observation takes: one per interval, at least one.</summary>
    public int Count(TimeSpan observation) => Math.Max(1, (int)(observation.Ticks / Math.Max(1, Interval.Ticks)));
}
