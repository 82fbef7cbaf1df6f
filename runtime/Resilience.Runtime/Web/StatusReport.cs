using Resilience.Runtime.Config;
using Resilience.Runtime.Health;
using Resilience.Runtime.Ingest;
using Resilience.Runtime.Publishing;

namespace Resilience.Runtime.Web;

/// <summary>The /status document: the decision, every tier's health and last probe, the buffer and NATS.</summary>
public sealed record StatusReport(
    string Machine,
    string Active,
    DateTimeOffset? ActiveSince,
    long Failovers,
    IReadOnlyList<StatusReport.Tier> Tiers,
    StatusReport.BufferState Buffer,
    bool NatsUp)
{
    public sealed record Tier(string Name, string Kind, string Url, bool Up, int ConsecutiveFailures, DateTimeOffset? HealthySince,
        DateTimeOffset NextProbeAt, Probe? LastProbe);

    public sealed record Probe(string Outcome, double DurationMs, DateTimeOffset At, string? Error);

    public sealed record BufferState(string Path, long PendingBytes, int PendingRecords, long MaxBytes);

    public static StatusReport Create(RuntimeConfig config, HealthMonitor monitor, Forwarder forwarder, NatsLinkState nats)
    {
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
            nats.Up);
    }
}
