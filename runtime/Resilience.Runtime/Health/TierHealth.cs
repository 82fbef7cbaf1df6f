namespace Resilience.Runtime.Health;

/// <summary>What the selector knows about one tier; a copy is handed out for status reports.</summary>
public sealed record TierHealth(
    bool Up,
    int ConsecutiveFailures,
    DateTimeOffset? HealthySince,
    DateTimeOffset NextProbeAt);
