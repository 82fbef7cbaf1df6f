namespace Resilience.Runtime.Publishing;

/// <summary>The KV entry agents read: where this machine's metrics go now.</summary>
public sealed record ActiveTarget(string Machine, string Tier, string? Url, string IngestUrl, DateTimeOffset Since, string Reason);
