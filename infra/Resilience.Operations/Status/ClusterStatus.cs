namespace Resilience.Operations.Status;

/// <summary>
/// One node's view of the JetStream meta group (/jsz meta_cluster): its leader and size. Only the meta leader
/// lists the other peers (server 2.9 leaves the replicas out on followers).
/// </summary>
public sealed record ClusterStatus(string? Name, string? Leader, int Size, IReadOnlyList<PeerStatus> Peers, string? Error)
{
    public static ClusterStatus Unreachable(string error) => new(null, null, 0, [], error);
}
