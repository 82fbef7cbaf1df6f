namespace Resilience.Runtime.Ingest;

/// <summary>One sample: its full label set (including <c>__name__</c>, sorted by name), value and time in ms.</summary>
public sealed record MetricSample(IReadOnlyList<KeyValuePair<string, string>> Labels, double Value, long TimestampMs)
{
    public string Name => Labels.First(l => l.Key == "__name__").Value;
}
