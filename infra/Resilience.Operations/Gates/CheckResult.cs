using System.Text.Json.Serialization;

namespace Resilience.Operations.Gates;

[JsonConverter(typeof(JsonStringEnumConverter<Phase>))]
public enum Phase
{
    Passed,
    Failed,
    Inconclusive,
}

/// <summary>One measurement: when, its phase, the value shown (the worst series) and why it failed.</summary>
public sealed record Measurement(DateTimeOffset At, Phase Phase, string Value, string? Detail);

/// <summary>A check's verdict over its measurements (Argo's rule: failed when failures exceed the limit).</summary>
public sealed record CheckResult(string Name, string? Description, string Measures, string Condition, string OnNoData, Phase Phase,
    IReadOnlyList<Measurement> Measurements, int FailureLimit, int InconclusiveLimit)
{
    public string Value => Measurements.Count == 0 ? "" : Measurements[^1].Value;

    /// <summary>Why the check failed or was inconclusive: the detail of its last such measurement.</summary>
    public string? Detail => Measurements.LastOrDefault(m => m.Phase == Phase)?.Detail ?? Measurements.LastOrDefault()?.Detail;

    public static Phase Assess(IReadOnlyList<Measurement> measurements, int failureLimit, int inconclusiveLimit)
    {
        if (measurements.Count(m => m.Phase == Phase.Failed) > failureLimit) return Phase.Failed;
        if (measurements.Count(m => m.Phase == Phase.Inconclusive) > inconclusiveLimit) return Phase.Inconclusive;
        return Phase.Passed;
    }
}
