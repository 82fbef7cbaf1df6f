using System.Globalization;
using System.Text;

namespace Resilience.Runtime.Web;

/// <summary>The runtime's own /metrics in the text exposition format.</summary>
public sealed class MetricsRenderer(HealthMonitor monitor, Forwarder forwarder, IngestCounters counters, NatsLinkState nats,
    HealthView view, PartitionDetector partition, NatsOutbox outbox, StreamSourceMonitor streams)
{
    public string Render()
    {
        var snapshot = monitor.Snapshot();
        var text = new StringBuilder();
        Family(text, "resilience_active_tier", "gauge", "1 for the tier metrics are forwarded to now.");
        foreach (var name in snapshot.Tiers.Select(t => t.Name).Append("buffer"))
        {
            Line(text, "resilience_active_tier", $"tier=\"{name}\"", name == snapshot.ActiveName ? 1 : 0);
        }
        Family(text, "resilience_tier_up", "gauge", "Whether the health monitor considers the tier up.");
        foreach (var t in snapshot.Tiers)
        {
            Line(text, "resilience_tier_up", $"tier=\"{t.Name}\"", t.Health.Up ? 1 : 0);
        }
        Family(text, "resilience_probe_duration_seconds", "gauge", "Duration of the last readiness probe.");
        foreach (var t in snapshot.Tiers.Where(t => t.LastProbe is not null))
        {
            Line(text, "resilience_probe_duration_seconds", $"tier=\"{t.Name}\"", t.LastProbe!.Duration.TotalSeconds);
        }
        Family(text, "resilience_failovers_total", "counter", "Switches of the active tier.");
        Line(text, "resilience_failovers_total", null, monitor.SwitchCount);
        Family(text, "resilience_buffer_bytes", "gauge", "Bytes in the file buffer not yet replayed.");
        Line(text, "resilience_buffer_bytes", null, forwarder.BufferPendingBytes);
        Family(text, "resilience_buffer_records", "gauge", "Pushes in the file buffer not yet replayed.");
        Line(text, "resilience_buffer_records", null, forwarder.BufferPendingRecords);
        Family(text, "resilience_samples_forwarded_total", "counter", "Samples accepted directly by a tier.");
        foreach (var (tier, n) in counters.ForwardedSamples.OrderBy(p => p.Key))
        {
            Line(text, "resilience_samples_forwarded_total", $"tier=\"{tier}\"", n);
        }
        Family(text, "resilience_samples_buffered_total", "counter", "Samples written to the file buffer.");
        Line(text, "resilience_samples_buffered_total", null, counters.BufferedSamples);
        Family(text, "resilience_buffer_records_replayed_total", "counter", "Buffered pushes replayed into a hub.");
        Line(text, "resilience_buffer_records_replayed_total", null, counters.ReplayedRecords);
        Family(text, "resilience_buffer_records_rejected_total", "counter", "Buffered pushes a hub refused as bad data.");
        Line(text, "resilience_buffer_records_rejected_total", null, counters.ReplayRejectedRecords);
        Family(text, "resilience_resent_samples_total", "counter", "Samples of a failed hub's resend window re-sent to the next hub, by result.");
        foreach (var result in StatusReport.ResultNames)
        {
            Line(text, "resilience_resent_samples_total", $"result=\"{result}\"", counters.ResentSamples.GetValueOrDefault(result));
        }
        Family(text, "resilience_resend_window_samples", "gauge", "Samples the hubs accepted within the resend window, kept for a re-send.");
        Line(text, "resilience_resend_window_samples", null, forwarder.Window.RecentSamples);
        Family(text, "resilience_resend_pending_samples", "gauge", "Samples of a failed hub's window waiting for a hub to re-send them to.");
        Line(text, "resilience_resend_pending_samples", null, forwarder.Window.PendingSamples);
        Family(text, "resilience_resend_overflow_samples_total", "counter", "Samples dropped from the resend window or pending list by its sample or byte bound.");
        Line(text, "resilience_resend_overflow_samples_total", null, forwarder.Window.Dropped);
        Family(text, "resilience_pushes_total", "counter", "Pushes received, by result.");
        foreach (var (result, n) in counters.Pushes.OrderBy(p => p.Key))
        {
            Line(text, "resilience_pushes_total", $"result=\"{result}\"", n);
        }
        Family(text, "resilience_nats_up", "gauge", "1 while the runtime's NATS connection is open.");
        Line(text, "resilience_nats_up", null, nats.Up ? 1 : 0);
        Family(text, "resilience_nats_outbox_dropped_total", "counter", "Health and partition events dropped, oldest first, from a full outbox while NATS was unreachable.");
        Line(text, "resilience_nats_outbox_dropped_total", null, outbox.Dropped);
        RenderHealth(text);
        RenderPartition(text);
        RenderStreamSources(text);
        return text.ToString();
    }

    private void RenderHealth(StringBuilder text)
    {
        var agents = view.Snapshot();
        Family(text, "resilience_agent_up", "gauge", "1 when the agent's last health probe succeeded (merged view of both machines).");
        foreach (var e in agents)
        {
            Line(text, "resilience_agent_up", AgentLabels(e), e.IsUp ? 1 : 0);
        }
        Family(text, "resilience_agent_response_seconds", "gauge", "Duration of the agent's last health probe.");
        foreach (var e in agents)
        {
            Line(text, "resilience_agent_response_seconds", AgentLabels(e), e.ResponseMs / 1000);
        }
    }

    private void RenderPartition(StringBuilder text)
    {
        var tracker = partition.Tracker;
        var since = tracker.Since;
        Family(text, "resilience_partitioned", "gauge", "1 while the peer machine is unreachable (hub and JetStream) with local NATS up.");
        Line(text, "resilience_partitioned", null, since is null ? 0 : 1);
        Family(text, "resilience_partition_started_seconds", "gauge", "Unix time the current partition started; 0 when not partitioned.");
        Line(text, "resilience_partition_started_seconds", null, since is { } s ? s.ToUnixTimeMilliseconds() / 1000.0 : 0);
        Family(text, "resilience_partitions_total", "counter", "Partitions detected.");
        Line(text, "resilience_partitions_total", null, tracker.Partitions);
        var gap = tracker.LastGap;
        Family(text, "resilience_partition_last_gap_seconds", "gauge", "Length of the last healed partition.");
        Line(text, "resilience_partition_last_gap_seconds", null, gap?.Duration.TotalSeconds ?? 0);
        Family(text, "resilience_partition_replayed_events", "gauge", "Peer health events received after the last heal whose time falls in the partition.");
        Line(text, "resilience_partition_replayed_events", null, gap?.ReplayedEvents ?? 0);
        Family(text, "resilience_partition_replayed_events_total", "counter", "The same, over every partition.");
        Line(text, "resilience_partition_replayed_events_total", null, tracker.ReplayedTotal);
    }

    private void RenderStreamSources(StringBuilder text)
    {
        var sources = streams.Sources;
        Family(text, "resilience_stream_source_lag", "gauge", "Messages of the peer's stream the local stream sourcing it has not copied yet.");
        foreach (var s in sources)
        {
            Line(text, "resilience_stream_source_lag", SourceLabels(s), s.Lag);
        }
        Family(text, "resilience_stream_source_active_seconds", "gauge", "Time since the local stream last heard from the peer's stream it sources.");
        foreach (var s in sources.Where(s => s.Active is not null))
        {
            Line(text, "resilience_stream_source_active_seconds", SourceLabels(s), s.Active!.Value.TotalSeconds);
        }
    }

    private static string SourceLabels(StreamSourceLag s) => $"stream=\"{Escape(s.Stream)}\",source=\"{Escape(s.Source)}\"";

    private static string AgentLabels(AgentHealthEvent e) => $"machine=\"{Escape(e.Machine)}\",agent=\"{Escape(e.Agent)}\"";

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");

    private static void Family(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Line(StringBuilder text, string name, string? labels, double value)
    {
        text.Append(name);
        if (labels is not null)
        {
            text.Append('{').Append(labels).Append('}');
        }
        text.Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }
}
