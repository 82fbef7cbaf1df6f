using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Resilience.Stack.Config;

namespace Resilience.Cli.Commands;

/// <summary>
/// `status`: the live NATS topology as seen from every machine. Leafnode topology: the edge's leaf link (its
/// /leafz), the hub's leafnode count, every stream's message count and, for sourced streams, how long ago the
/// source was last in contact (`Active`) and its lag. Cluster topologies: each node's view of the JetStream meta
/// group (its /jsz: leader, peers, current, last contact, lag) and each stream's leader and replicas. Exit 0 when
/// every machine answers and the link or cluster is whole, 1 when degraded.
/// </summary>
public static class StatusCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create(Option<string> stackOption)
    {
        var json = new Option<bool>("--json", "-j") { Description = "Machine-readable JSON on stdout" };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for each machine", DefaultValueFactory = _ => 3 };
        var command = new Command("status", "Show the NATS leaf link or cluster peers, stream counts and lag of every machine") { stackOption, json, timeout };
        command.SetAction((parse, ct) => CliErrors.RunAsync(async () =>
        {
            var project = ProjectContext.Discover();
            var config = project.LoadConfig(parse.GetRequiredValue(stackOption));
            var settings = StackSettings.Read(new TypedConfig(config, ConfigSecrets.Decrypter(config)));
            var probe = new TopologyProbe(settings, TimeSpan.FromSeconds(parse.GetValue(timeout)));
            var report = await probe.ReadAsync(ct);
            if (parse.GetValue(json)) Console.WriteLine(report.ToJson().ToJsonString(Indented));
            else Console.Write(report.ToText());
            return report.Healthy ? 0 : 1;
        }));
        return command;
    }
}

/// <summary>A sourced stream's view of its origin: <see cref="Active"/> is the time since the last contact.</summary>
public sealed record SourceStatus(string Name, string? Domain, TimeSpan? Active, long Lag)
{
    /// <summary>Heartbeats keep a healthy source's Active around a second; a silent cut only shows here as growth.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(10);

    public bool Stale => Active is null || Active > StaleAfter;
}

public sealed record StreamStatus(string Name, long Messages, ulong LastSequence, IReadOnlyList<SourceStatus> Sources)
{
    /// <summary>Cluster topologies: the server that leads this stream's replicas, and the others as it sees them.</summary>
    public string? Leader { get; init; }

    public IReadOnlyList<PeerStatus> Replicas { get; init; } = [];
}

/// <summary>A peer of a JetStream RAFT group (the meta group or a stream's) as the reporting server sees it.</summary>
public sealed record PeerStatus(string Name, bool Current, bool Offline, TimeSpan? Active, ulong Lag)
{
    public bool Healthy => Current && !Offline;
}

/// <summary>
/// One node's view of the JetStream meta group (/jsz meta_cluster): its leader and size. Only the meta leader
/// lists the other peers (server 2.9 leaves the replicas out on followers).
/// </summary>
public sealed record ClusterStatus(string? Name, string? Leader, int Size, IReadOnlyList<PeerStatus> Peers, string? Error);

/// <summary>The leaf link as one server sees it: the remotes it is connected to right now.</summary>
public sealed record LeafStatus(bool? Up, IReadOnlyList<string> Peers, string? Error);

public sealed record MachineStatus(
    string Machine, string Role, string NatsUrl, string MonitorUrl, string? Error, LeafStatus Leaf, IReadOnlyList<StreamStatus> Streams)
{
    public bool Reachable => Error is null;

    /// <summary>Cluster topologies only.</summary>
    public ClusterStatus? Cluster { get; init; }
}

public sealed record TopologyReport(string Stack, string Machine, IReadOnlyList<MachineStatus> Machines)
{
    public string Topology { get; init; } = NatsTopologies.Leafnode;

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

    public JsonObject ToJson() => new()
    {
        ["stack"] = Stack,
        ["machine"] = Machine,
        ["topology"] = Topology,
        ["healthy"] = Healthy,
        ["machines"] = new JsonArray(Machines.Select(m => (JsonNode)new JsonObject
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
        $"{(p.Active is { } a ? $", seen {a.TotalSeconds:0.0}s ago" : "")}{(p.Lag > 0 ? $", lag {p.Lag}" : "")}";

    public string ToText()
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine($"Stack {Stack} (machine {Machine}): {(Healthy ? "healthy" : "DEGRADED")}");
        foreach (var m in Machines)
        {
            text.AppendLine();
            text.AppendLine($"{m.Machine} ({m.Role})  {m.NatsUrl}  {(m.Reachable ? "reachable" : "UNREACHABLE: " + m.Error)}");
            if (m.Cluster is { } c)
            {
                text.AppendLine(c.Error is not null
                    ? $"  cluster: {c.Error}"
                    : $"  cluster {c.Name}: meta leader {c.Leader ?? "NONE"}, {c.Size} peers");
                foreach (var p in c.Peers) text.AppendLine($"    peer {PeerText(p)}");
                if (c.Error is null && c.Peers.Count == 0 && c.Leader is not null && c.Leader != m.Machine)
                    text.AppendLine($"    (the peers are listed by the meta leader, {c.Leader})");
            }
            else
            {
                var link = m.Leaf.Up switch { true => "up", false => "DOWN", null => "unknown" };
                var peers = m.Leaf.Peers.Count > 0 ? " (" + string.Join(", ", m.Leaf.Peers) + ")" : "";
                text.AppendLine($"  leaf link: {link}{peers}{(m.Leaf.Error is null ? "" : "  " + m.Leaf.Error)}");
            }
            foreach (var s in m.Streams)
            {
                text.AppendLine($"  {s.Name,-32} {s.Messages,10} msgs{(s.Leader is null ? "" : $"  leader {s.Leader}")}");
                foreach (var r in s.Replicas) text.AppendLine($"    replica {PeerText(r)}");
                foreach (var src in s.Sources)
                {
                    var active = src.Active is { } a ? $"{a.TotalSeconds:0.0}s ago" : "never";
                    text.AppendLine($"    <- {src.Domain}:{src.Name,-24} last contact {active}, lag {src.Lag}{(src.Stale ? "  STALE" : "")}");
                }
            }
        }
        return text.ToString();
    }
}

/// <summary>Reads both machines' NATS servers: the monitor endpoint for the leaf link, JetStream for streams.</summary>
public sealed class TopologyProbe(StackSettings settings, TimeSpan timeout)
{
    public async Task<TopologyReport> ReadAsync(CancellationToken ct)
    {
        var names = settings.NatsCluster ? settings.ClusterMachines : Machines.All;
        var machines = await Task.WhenAll(names.Select(m => ReadMachineAsync(settings.Machines[m], ct)));
        return new TopologyReport(settings.Stack, settings.Machine, machines) { Topology = settings.NatsTopology };
    }

    private async Task<MachineStatus> ReadMachineAsync(MachineSettings machine, CancellationToken ct)
    {
        var role = machine.Name switch
        {
            Stack.Config.Machines.MainPc => "hub",
            Stack.Config.Machines.Witness => "witness",
            _ => "edge",
        };
        var natsUrl = $"nats://{machine.Address}:{machine.NatsPort}";
        var monitorUrl = $"http://{machine.Address}:{machine.NatsMonitorPort}";
        var leaf = settings.NatsCluster ? new LeafStatus(null, [], null) : await ReadLeafAsync(monitorUrl, ct);
        var cluster = settings.NatsCluster ? await ReadClusterAsync(monitorUrl, ct) : null;
        try
        {
            var streams = await ReadStreamsAsync(natsUrl, ct);
            return new MachineStatus(machine.Name, role, natsUrl, monitorUrl, null, leaf, streams) { Cluster = cluster };
        }
        catch (Exception e) when (e is NatsException or TimeoutException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return new MachineStatus(machine.Name, role, natsUrl, monitorUrl, e.Message, leaf, []) { Cluster = cluster };
        }
    }

    /// <summary>
    /// The meta group from the node's /jsz (2.9: meta_cluster with name, leader, cluster_size and the OTHER peers
    /// as replicas: name, current, active in nanoseconds, lag and offline when set).
    /// </summary>
    private async Task<ClusterStatus> ReadClusterAsync(string monitorUrl, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = timeout };
        try
        {
            using var jsz = JsonDocument.Parse(await http.GetStringAsync($"{monitorUrl}/jsz", ct));
            if (!jsz.RootElement.TryGetProperty("meta_cluster", out var meta))
                return new ClusterStatus(null, null, 0, [], "no meta_cluster in /jsz: this server is not clustered");
            string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var peers = meta.TryGetProperty("replicas", out var replicas) && replicas.ValueKind == JsonValueKind.Array
                ? replicas.EnumerateArray().Select(ToPeer).ToList()
                : [];
            var size = meta.TryGetProperty("cluster_size", out var n) ? n.GetInt32() : 0;
            var leader = Text(meta, "leader");
            return new ClusterStatus(Text(meta, "name"), string.IsNullOrEmpty(leader) ? null : leader, size, peers, null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException && !ct.IsCancellationRequested)
        {
            return new ClusterStatus(null, null, 0, [], $"monitor {monitorUrl} unreachable: {e.Message}");
        }
    }

    private static PeerStatus ToPeer(JsonElement p)
    {
        bool Flag(string name) => p.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
        TimeSpan? active = p.TryGetProperty("active", out var a) && a.TryGetInt64(out var ns) ? TimeSpan.FromTicks(ns / 100) : null;
        var lag = p.TryGetProperty("lag", out var l) && l.TryGetUInt64(out var u) ? u : 0;
        return new PeerStatus(p.GetProperty("name").GetString() ?? "?", Flag("current"), Flag("offline"), active, lag);
    }

    private async Task<LeafStatus> ReadLeafAsync(string monitorUrl, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = timeout };
        try
        {
            using var leafz = JsonDocument.Parse(await http.GetStringAsync($"{monitorUrl}/leafz", ct));
            var peers = leafz.RootElement.TryGetProperty("leafs", out var leafs) && leafs.ValueKind == JsonValueKind.Array
                ? leafs.EnumerateArray().Select(l => $"{l.GetProperty("ip").GetString()}:{l.GetProperty("port").GetInt32()} rtt {l.GetProperty("rtt").GetString()}").ToList()
                : [];
            return new LeafStatus(peers.Count > 0, peers, null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException && !ct.IsCancellationRequested)
        {
            return new LeafStatus(null, [], $"monitor {monitorUrl} unreachable: {e.Message}");
        }
    }

    private async Task<IReadOnlyList<StreamStatus>> ReadStreamsAsync(string natsUrl, CancellationToken ct)
    {
        var opts = new NatsOpts
        {
            Url = natsUrl,
            MaxReconnectRetry = 0,
            ConnectTimeout = timeout,
            RequestTimeout = timeout,
            AuthOpts = settings.NatsPassword is null ? NatsAuthOpts.Default : new NatsAuthOpts { Username = settings.NatsUser, Password = settings.NatsPassword },
        };
        await using var connection = new NatsConnection(opts);
        await connection.ConnectAsync();
        var js = new NatsJSContext(connection);
        var streams = new List<StreamStatus>();
        await foreach (var stream in js.ListStreamsAsync(cancellationToken: ct))
        {
            var info = stream.Info;
            var configured = info.Config.Sources ?? [];
            var sources = (info.Sources ?? []).Select(src => new SourceStatus(
                src.Name,
                DomainOf(configured.FirstOrDefault(c => c.Name == src.Name)),
                src.Active,
                src.Lag)).ToList();
            var replicas = (info.Cluster?.Replicas ?? []).Select(r => new PeerStatus(r.Name, r.Current, r.Offline, r.Active, (ulong)r.Lag)).ToList();
            streams.Add(new StreamStatus(info.Config.Name ?? "?", info.State.Messages, info.State.LastSeq, sources)
            {
                Leader = info.Cluster?.Leader,
                Replicas = replicas,
            });
        }
        return streams.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>The server keeps a source's domain as its API prefix, "$JS.&lt;domain&gt;.API".</summary>
    private static string? DomainOf(StreamSource? source)
    {
        if (source is null) return null;
        if (!string.IsNullOrEmpty(source.Domain)) return source.Domain;
        var api = source.External?.Api;
        return api is not null && api.StartsWith("$JS.", StringComparison.Ordinal) && api.EndsWith(".API", StringComparison.Ordinal)
            ? api["$JS.".Length..^".API".Length]
            : api;
    }
}
