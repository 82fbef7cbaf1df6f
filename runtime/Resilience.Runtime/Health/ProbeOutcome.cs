namespace Resilience.Runtime.Health;

public enum ProbeOutcome
{
    Healthy,
    /// <summary>Timeout, HTTP error status or a broken connection: counts toward the failover threshold.</summary>
    Failed,
    /// <summary>Nothing listens: the tier is down for sure, so fail over at once.</summary>
    Refused,
}
