namespace Resilience.Runtime.Health;

/// <summary>A change of the active tier; index == tier count means the file buffer.</summary>
public sealed record TierSwitch(int From, int To, string Reason, DateTimeOffset At);
