namespace Resilience.Operations.Status;

public sealed record StreamStatus(string Name, long Messages, ulong LastSequence, IReadOnlyList<SourceStatus> Sources)
{
    /// <summary>Cluster topologies: the server that leads this stream's replicas, and the others as it sees them.</summary>
    public string? Leader { get; init; }

    public IReadOnlyList<PeerStatus> Replicas { get; init; } = [];
}
