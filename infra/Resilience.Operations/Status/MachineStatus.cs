namespace Resilience.Operations.Status;

/// <param name="Role">hub (MainPC), edge (PC2) or witness.</param>
/// <param name="Error">Why the machine's NATS did not answer; null when it did.</param>
public sealed record MachineStatus(
    string Machine, string Role, string NatsUrl, string MonitorUrl, string? Error, LeafStatus Leaf, IReadOnlyList<StreamStatus> Streams)
{
    public bool Reachable => Error is null;

    /// <summary>Cluster topologies only.</summary>
    public ClusterStatus? Cluster { get; init; }
}
