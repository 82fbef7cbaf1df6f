namespace Resilience.Runtime.Web;

/// <summary>The /health document: the merged view of both machines' agents, and whether the peer is cut off.</summary>
public sealed record HealthReport(string Machine, string? Peer, bool Partitioned, DateTimeOffset? PartitionedSince, IReadOnlyList<AgentHealthEvent> Agents)
{
    public static HealthReport Create(RuntimeConfig config, HealthView view, PartitionTracker tracker)
    {
        var since = tracker.Since;
        return new HealthReport(config.Machine, config.Peer?.Machine, since is not null, since, view.Snapshot());
    }
}
