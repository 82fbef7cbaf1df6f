using System.Text.Json;

namespace Resilience.Operations.Status;

/// <summary>
/// Reads a nats-server's /jsz answer. Server 2.9 puts the meta group under meta_cluster: name, leader (absent
/// while there is no quorum), cluster_size and, on the meta leader only, the OTHER peers as replicas (name,
/// current, active in nanoseconds, lag, and offline when set). An unclustered server has no meta_cluster.
/// </summary>
public static class JszAnswer
{
    public const string Path = "/jsz";

    /// <exception cref="JsonException">The answer is not JSON.</exception>
    public static ClusterStatus Parse(string json)
    {
        using var jsz = JsonDocument.Parse(json);
        if (!jsz.RootElement.TryGetProperty("meta_cluster", out var meta) || meta.ValueKind != JsonValueKind.Object)
            return new ClusterStatus(null, null, 0, [], "no meta_cluster in /jsz: this server is not clustered");
        var peers = meta.TryGetProperty("replicas", out var replicas) && replicas.ValueKind == JsonValueKind.Array
            ? replicas.EnumerateArray().Select(ToPeer).ToList()
            : [];
        var size = meta.TryGetProperty("cluster_size", out var n) && n.TryGetInt32(out var count) ? count : 0;
        var leader = Text(meta, "leader");
        return new ClusterStatus(Text(meta, "name"), string.IsNullOrEmpty(leader) ? null : leader, size, peers, null);
    }

    private static PeerStatus ToPeer(JsonElement peer)
    {
        TimeSpan? active = peer.TryGetProperty("active", out var a) && a.TryGetInt64(out var ns) ? TimeSpan.FromTicks(ns / 100) : null;
        var lag = peer.TryGetProperty("lag", out var l) && l.TryGetUInt64(out var u) ? u : 0;
        return new PeerStatus(Text(peer, "name") ?? "?", Flag(peer, "current"), Flag(peer, "offline"), active, lag);
    }

    private static bool Flag(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
