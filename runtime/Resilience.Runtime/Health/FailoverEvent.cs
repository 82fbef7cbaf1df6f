namespace Resilience.Runtime.Health;

/// <summary>A switch as published: what changed, why, when, and how long the deciding check took.</summary>
public sealed record FailoverEvent(
    string Machine,
    string From,
    string To,
    string? TargetUrl,
    string Reason,
    DateTimeOffset At,
    double CheckMilliseconds,
    long Sequence);
