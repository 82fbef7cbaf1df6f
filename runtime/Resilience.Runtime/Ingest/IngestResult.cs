namespace Resilience.Runtime.Ingest;

public enum IngestOutcome { Forwarded, Buffered, Rejected, BufferFull }

/// <summary>What became of a push: where it went, or why it was refused.</summary>
public sealed record IngestResult(IngestOutcome Outcome, string Tier, string? Error = null);
