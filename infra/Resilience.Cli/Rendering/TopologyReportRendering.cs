using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Resilience.Operations.Status;

namespace Resilience.Cli.Rendering;

/// <summary>`status` as the operator reads it (text) and as scripts read it (--json).</summary>
public static class TopologyReportRendering
{
    public static JsonObject ToJson(this TopologyReport report) => new()
    {
        ["stack"] = report.Stack,
        ["machine"] = report.Machine,
        ["topology"] = report.Topology,
        ["healthy"] = report.Healthy,
        ["machines"] = new JsonArray(report.Machines.Select(m => (JsonNode)new JsonObject
        {
            ["machine"] = m.Machine,
            ["role"] = m.Role,
            ["natsUrl"] = m.NatsUrl,
            ["monitorUrl"] = m.MonitorUrl,
            ["reachable"] = m.Reachable,
            ["error"] = m.Error,
            ["leaf"] = m.Cluster is not null ? null : new JsonObject
            {
                ["state"] = m.Leaf.Up switch { true => "up", false => "down", null => "unknown" },
                ["peers"] = new JsonArray(m.Leaf.Peers.Select(p => (JsonNode)p).ToArray()),
                ["error"] = m.Leaf.Error,
            },
            ["cluster"] = m.Cluster is not { } c ? null : new JsonObject
            {
                ["name"] = c.Name,
                ["metaLeader"] = c.Leader,
                ["size"] = c.Size,
                ["peers"] = Peers(c.Peers),
                ["error"] = c.Error,
            },
            ["streams"] = new JsonArray(m.Streams.Select(s => (JsonNode)new JsonObject
            {
                ["name"] = s.Name,
                ["messages"] = s.Messages,
                ["lastSequence"] = s.LastSequence,
                ["leader"] = s.Leader,
                ["replicas"] = Peers(s.Replicas),
                ["sources"] = new JsonArray(s.Sources.Select(src => (JsonNode)new JsonObject
                {
                    ["name"] = src.Name,
                    ["domain"] = src.Domain,
                    ["activeSeconds"] = src.Active?.TotalSeconds,
                    ["lag"] = src.Lag,
                    ["stale"] = src.Stale,
                }).ToArray()),
            }).ToArray()),
        }).ToArray()),
    };

    public static string ToText(this TopologyReport report)
    {
        var text = new StringBuilder();
        text.AppendLine($"Stack {report.Stack} (machine {report.Machine}): {(report.Healthy ? "healthy" : "DEGRADED")}");
        foreach (var m in report.Machines)
        {
            text.AppendLine();
            text.AppendLine($"{m.Machine} ({m.Role})  {m.NatsUrl}  {(m.Reachable ? "reachable" : "UNREACHABLE: " + m.Error)}");
            if (m.Cluster is { } c) AppendCluster(text, m, c);
            else AppendLeaf(text, m.Leaf);
            foreach (var s in m.Streams) AppendStream(text, s);
        }
        return text.ToString();
    }

    private static void AppendCluster(StringBuilder text, MachineStatus machine, ClusterStatus cluster)
    {
        text.AppendLine(cluster.Error is not null
            ? $"  cluster: {cluster.Error}"
            : $"  cluster {cluster.Name}: meta leader {cluster.Leader ?? "NONE"}, {cluster.Size} peers");
        foreach (var p in cluster.Peers) text.AppendLine($"    peer {PeerText(p)}");
        if (cluster.Error is null && cluster.Peers.Count == 0 && cluster.Leader is not null && cluster.Leader != machine.Machine)
            text.AppendLine($"    (the peers are listed by the meta leader, {cluster.Leader})");
    }

    private static void AppendLeaf(StringBuilder text, LeafStatus leaf)
    {
        var link = leaf.Up switch { true => "up", false => "DOWN", null => "unknown" };
        var peers = leaf.Peers.Count > 0 ? " (" + string.Join(", ", leaf.Peers) + ")" : "";
        text.AppendLine($"  leaf link: {link}{peers}{(leaf.Error is null ? "" : "  " + leaf.Error)}");
    }

    private static void AppendStream(StringBuilder text, StreamStatus stream)
    {
        text.AppendLine($"  {stream.Name,-32} {stream.Messages,10} msgs{(stream.Leader is null ? "" : $"  leader {stream.Leader}")}");
        foreach (var r in stream.Replicas) text.AppendLine($"    replica {PeerText(r)}");
        foreach (var src in stream.Sources)
        {
            var active = src.Active is { } a ? $"{Seconds(a)}s ago" : "never";
            text.AppendLine($"    <- {src.Domain}:{src.Name,-24} last contact {active}, lag {src.Lag}{(src.Stale ? "  STALE" : "")}");
        }
    }

    private static JsonArray Peers(IEnumerable<PeerStatus> peers) => new(peers.Select(p => (JsonNode)new JsonObject
    {
        ["name"] = p.Name,
        ["current"] = p.Current,
        ["offline"] = p.Offline,
        ["activeSeconds"] = p.Active?.TotalSeconds,
        ["lag"] = p.Lag,
    }).ToArray());

    private static string PeerText(PeerStatus p) =>
        $"{p.Name} {(p.Offline ? "OFFLINE" : p.Current ? "current" : "NOT CURRENT")}" +
        $"{(p.Active is { } a ? $", seen {Seconds(a)}s ago" : "")}{(p.Lag > 0 ? $", lag {p.Lag}" : "")}";

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
}
