namespace Resilience.Operations.Status;

/// <summary>A peer of a JetStream RAFT group (the meta group or a stream's) as the reporting server sees it.</summary>
public sealed record PeerStatus(string Name, bool Current, bool Offline, TimeSpan? Active, ulong Lag)
{
    public bool Healthy => Current && !Offline;
}
