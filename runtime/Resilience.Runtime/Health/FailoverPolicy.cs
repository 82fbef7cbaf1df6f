using Resilience.Runtime.Config;

namespace Resilience.Runtime.Health;

public sealed record FailoverPolicy(
    int Threshold,
    TimeSpan ProbeInterval,
    TimeSpan MaxBackoff,
    TimeSpan FailbackHold,
    TimeSpan BufferExitHold)
{
    public static FailoverPolicy From(ProbeConfig probe) =>
        new(probe.FailoverThreshold, probe.Interval, probe.MaxBackoff, probe.FailbackHold, probe.BufferExitHold);
}
