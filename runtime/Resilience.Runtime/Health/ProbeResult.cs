namespace Resilience.Runtime.Health;

public sealed record ProbeResult(ProbeOutcome Outcome, TimeSpan Duration, DateTimeOffset At, string? Error);
