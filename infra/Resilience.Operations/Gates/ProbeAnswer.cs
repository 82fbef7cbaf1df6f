namespace Resilience.Operations.Gates;

/// <summary>One series of an answer: what it is (agent="X", or the check's name for a scalar) and its value.</summary>
public sealed record Series(string Label, GateValue Value);

/// <summary>What a probe found: values, nothing (an empty result, judged by onNoData), or an error (a failed measurement).</summary>
public abstract record ProbeAnswer
{
    public sealed record Values(IReadOnlyList<Series> Series) : ProbeAnswer;

    public sealed record NoData(string Why) : ProbeAnswer;

    public sealed record Error(string Message) : ProbeAnswer;

    public static ProbeAnswer One(string label, GateValue value) => new Values([new Series(label, value)]);
}

/// <summary>Measures one check's probe once.</summary>
public interface IProbe
{
    Task<ProbeAnswer> MeasureAsync(ProbeSpec spec, CancellationToken ct);
}
