namespace Resilience.Runtime.Web;

/// <summary>The /status document: the decision, every tier's health and last probe, the buffer and NATS.</summary>
public sealed record StatusReport(
    string Machine,
    string Active,
    DateTimeOffset? ActiveSince,
    long Failovers,
    IReadOnlyList<StatusReport.Tier> Tiers,
    StatusReport.BufferState Buffer,
    bool NatsUp,
    StatusReport.PartitionState? Partition,
    StatusReport.HealthSyncState HealthSync,
    StatusReport.ResendState Resend)
{
    /// <summary>The resend window: its length, what it holds, what waits to be re-sent, and the re-sent samples by result.</summary>
    public sealed record ResendState(double WindowSeconds, int WindowSamples, long WindowBytes, int PendingSamples,
        IReadOnlyDictionary<string, long> Resent, long Overflow);

    /// <summary>Partition detection; <c>Since</c> is set while partitioned, <c>LastGap</c> after a heal.</summary>
    public sealed record PartitionState(string Peer, bool Partitioned, DateTimeOffset? Since, DateTimeOffset? DetectedAt,
        int ConsecutiveFailures, long Partitions, PeerProbe? LastProbe, Gap? LastGap);

    public sealed record Gap(DateTimeOffset Since, DateTimeOffset Until, double Seconds, DateTimeOffset DetectedAt, long ReplayedEvents);

    public sealed record HealthSyncState(int Agents, long EventsPublished, int OutboxPending, long OutboxPublished, long OutboxDropped,
        long PeerEventsReceived, long PeerEventsApplied, long PeerEventsInvalid);

    public sealed record Tier(string Name, string Kind, string Url, bool Up, int ConsecutiveFailures, DateTimeOffset? HealthySince,
        DateTimeOffset NextProbeAt, Probe? LastProbe);

    public sealed record Probe(string Outcome, double DurationMs, DateTimeOffset At, string? Error);

    public sealed record BufferState(string Path, long PendingBytes, int PendingRecords, long MaxBytes);

    private static Dictionary<string, long> Resent(IngestCounters counters) =>
        ResultNames.ToDictionary(r => r, r => counters.ResentSamples.GetValueOrDefault(r));

    public static readonly string[] ResultNames = ["accepted", "already_present", "rejected"];

    public static StatusReport Create(RuntimeConfig config, HealthMonitor monitor, Forwarder forwarder, NatsLinkState nats,
        PartitionDetector partition, PeerHealthConsumer consumer, AgentHealthProber prober, NatsOutbox outbox, IngestCounters counters)
    {
        var tracker = partition.Tracker;
        var since = tracker.Since;
        var partitionState = config.Peer is null ? null : new PartitionState(config.Peer.Machine, since is not null, since,
            tracker.DetectedAt, tracker.ConsecutiveFailures, tracker.Partitions, partition.LastProbe,
            tracker.LastGap is { } g ? new Gap(g.Since, g.Until, g.Duration.TotalSeconds, g.DetectedAt, g.ReplayedEvents) : null);
        var s = monitor.Snapshot();
        return new StatusReport(
            config.Machine,
            s.ActiveName,
            s.ActiveSince,
            monitor.SwitchCount,
            s.Tiers.Select(t => new Tier(t.Name, t.Kind == TierKind.Hub ? "hub" : "pushgateway", t.Url.ToString(), t.Health.Up,
                t.Health.ConsecutiveFailures, t.Health.HealthySince, t.Health.NextProbeAt,
                t.LastProbe is { } p ? new Probe(p.Outcome.ToString(), p.Duration.TotalMilliseconds, p.At, p.Error) : null)).ToList(),
            new BufferState(config.Buffer.Path, forwarder.BufferPendingBytes, forwarder.BufferPendingRecords, config.Buffer.MaxBytes),
            nats.Up,
            partitionState,
            new HealthSyncState(config.Agents.Count, prober.Published, outbox.Pending, outbox.Published, outbox.Dropped,
                consumer.Received, consumer.Applied, consumer.Invalid),
            new ResendState(config.Probe.ResendOrDefault.Window.TotalSeconds, forwarder.Window.RecentSamples, forwarder.Window.RecentBytes,
                forwarder.Window.PendingSamples, Resent(counters), forwarder.Window.Dropped));
    }
}
