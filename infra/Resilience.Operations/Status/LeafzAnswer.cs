using System.Text.Json;

namespace Resilience.Operations.Status;

/// <summary>
/// Reads a nats-server's /leafz answer: "leafs" lists the leafnode connections up right now (ip, port, rtt), and
/// is null when there are none. The link is up when the server has at least one.
/// </summary>
public static class LeafzAnswer
{
    public const string Path = "/leafz";

    /// <exception cref="JsonException">The answer is not JSON.</exception>
    public static LeafStatus Parse(string json)
    {
        using var leafz = JsonDocument.Parse(json);
        var peers = leafz.RootElement.TryGetProperty("leafs", out var leafs) && leafs.ValueKind == JsonValueKind.Array
            ? leafs.EnumerateArray().Select(Describe).ToList()
            : [];
        return new LeafStatus(peers.Count > 0, peers, null);
    }

    private static string Describe(JsonElement leaf)
    {
        var ip = leaf.TryGetProperty("ip", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : "?";
        var port = leaf.TryGetProperty("port", out var p) && p.TryGetInt32(out var n) ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?";
        var rtt = leaf.TryGetProperty("rtt", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : "?";
        return $"{ip}:{port} rtt {rtt}";
    }
}
