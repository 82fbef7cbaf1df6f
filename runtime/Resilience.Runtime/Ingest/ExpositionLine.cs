namespace Resilience.Runtime.Ingest;

/// <summary>A sample line of the text exposition format, before grouping labels and ingest time are applied.</summary>
public sealed record ExpositionLine(string Name, IReadOnlyList<KeyValuePair<string, string>> Labels, double Value, long? TimestampMs);
