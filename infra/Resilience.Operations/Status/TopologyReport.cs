using Resilience.Stack.Config;

namespace Resilience.Operations.Status;

/// <summary>The NATS topology of a stack as every machine sees it, and the verdict: whole or degraded.</summary>
public sealed record TopologyReport(string Stack, string Machine, IReadOnlyList<MachineStatus> Machines)
{
    public string Topology { get; init; } = NatsTopologies.Leafnode;

    /// <summary>Leafnode: every machine answers, its leaf link is up and no source is stale. Clusters: see <see cref="ClusterWhole"/>.</summary>
    public bool Healthy => Topology == NatsTopologies.Leafnode
        ? Machines.All(m => m.Reachable && m.Leaf.Up == true && m.Streams.SelectMany(s => s.Sources).All(s => !s.Stale))
        : ClusterWhole();

    /// <summary>Every node answers and names the same meta leader, whose view lists every other node as current.</summary>
    private bool ClusterWhole()
    {
        if (!Machines.All(m => m.Reachable && m.Cluster is { Error: null, Leader: not null })) return false;
        var leaders = Machines.Select(m => m.Cluster!.Leader).Distinct().ToList();
        if (leaders.Count != 1) return false;
        var leaderView = Machines.FirstOrDefault(m => m.Machine == leaders[0])?.Cluster;
        return leaderView is not null && leaderView.Size >= Machines.Count
            && leaderView.Peers.Count == Machines.Count - 1 && leaderView.Peers.All(p => p.Healthy);
    }
}
