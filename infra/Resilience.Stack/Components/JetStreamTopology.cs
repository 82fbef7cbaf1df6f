using System.Text.Json.Nodes;
using Resilience.Model;
using Resilience.Stack.Config;

namespace Resilience.Stack.Components;

/// <summary>
/// The seeds' three streams and their durable consumers. Leafnode topology: per machine domain, each machine
/// publishes into its own R1 streams; MainPC's streams also source PC2's across the domains, and PC2 sources
/// MainPC's alerts and MainPC's own health back into subject-less streams. One direction per stream pair, so
/// nothing loops. Cluster topologies: one set of streams with a replica per node, declared by the mainpc stack
/// only (one owner per server object); the other stacks declare none.
/// </summary>
public static class JetStreamTopology
{
    public sealed record StreamDef(string Name, string Subjects, Func<StackSettings, string> MaxAge);

    public static readonly StreamDef[] Streams =
    [
        new("observability-metrics", "observability.metrics.*", s => s.MetricsMaxAge),
        new("observability-health", "observability.health.*", s => s.HealthMaxAge),
        new("observability-alerts", "observability.alerts.*", s => s.AlertsMaxAge),
    ];

    /// <summary>A stream or consumer replaced under the same name must go first: the server refuses a second one.</summary>
    private static readonly ResourceOptions DataOptions = new() { DeleteBeforeReplace = true };

    public const string CentralAlertsOnEdge = "observability-alerts-central";

    /// <summary>PC2's copy of MainPC's own health (leafnode topology), read by PC2's runtime to watch its peer.</summary>
    public const string CentralHealthOnEdge = "observability-health-central";

    /// <summary>Leafnode topology: on each machine, the durable its runtime reads the other machine's health with.</summary>
    public const string HealthPeer = "observability-health-peer";

    /// <summary>Cluster topologies: the durable on the one health stream that <paramref name="reader"/>'s runtime reads.</summary>
    public static string HealthPeerFor(string reader) => $"{HealthPeer}-{reader}";

    public static string HealthSubject(string machine) => $"observability.health.{machine}";

    /// <summary>The local stream and durable that <paramref name="s"/>'s machine reads its peer's health events from.</summary>
    public static (string Stream, string Consumer) PeerHealth(StackSettings s) =>
        s.NatsCluster ? ("observability-health", HealthPeerFor(s.Machine))
        : s.IsCentral ? ("observability-health", HealthPeer)
        : (CentralHealthOnEdge, HealthPeer);

    public static void Declare(StackBuilder b, Resource nats)
    {
        var s = b.Settings;
        if (s.NatsCluster)
        {
            if (s.IsCentral) DeclareCluster(b, nats);
            return;
        }
        var server = new Endpoints(s).Nats(s.Machine);
        JsonObject WithAuth(JsonObject inputs) => Authenticated(s, inputs);
        var streams = new Dictionary<string, Resource>();
        foreach (var def in Streams)
        {
            var inputs = Stream(server, def.Name, [def.Subjects], def.MaxAge(s));
            if (s.IsCentral) inputs["sources"] = new JsonArray(Source(def.Name, Machines.Pc2));
            streams[def.Name] = b.Add("jetstream:stream", def.Name, WithAuth(inputs), [nats], DataOptions);
            if (s.IsCentral) b.DataPath(new DataEndpoint(Machines.Pc2, "jetstream:stream", def.Name), streams[def.Name], "source", "source");
        }
        if (!s.IsCentral)
        {
            var back = Stream(server, CentralAlertsOnEdge, [], s.AlertsMaxAge);
            back["sources"] = new JsonArray(Source("observability-alerts", Machines.MainPc));
            var alerts = b.Add("jetstream:stream", CentralAlertsOnEdge, WithAuth(back), [nats], DataOptions);
            b.DataPath(new DataEndpoint(Machines.MainPc, "jetstream:stream", "observability-alerts"), alerts, "source", "source");
            // Only MainPC's own health comes back: PC2's would otherwise return to it through MainPC's sourced copy.
            var health = Stream(server, CentralHealthOnEdge, [], s.HealthMaxAge);
            var source = Source("observability-health", Machines.MainPc);
            source["filterSubject"] = HealthSubject(Machines.MainPc);
            health["sources"] = new JsonArray(source);
            streams[CentralHealthOnEdge] = b.Add("jetstream:stream", CentralHealthOnEdge, WithAuth(health), [nats], DataOptions);
            b.DataPath(new DataEndpoint(Machines.MainPc, "jetstream:stream", "observability-health"), streams[CentralHealthOnEdge], "source",
                $"source ({HealthSubject(Machines.MainPc)})");
        }
        var (peerStream, peerConsumer) = PeerHealth(s);
        b.Add("jetstream:consumer", peerConsumer,
            WithAuth(Consumer(server, peerStream, peerConsumer, HealthSubject(Machines.Other(s.Machine)))), [streams[peerStream]], DataOptions);

        var metricsConsumer = s.IsCentral ? "observability-metrics-centralhub" : "observability-metrics-edgehub";
        b.Add("jetstream:consumer", metricsConsumer,
            WithAuth(Consumer(server, "observability-metrics", metricsConsumer, "observability.metrics.*")), [streams["observability-metrics"]], DataOptions);
        b.Add("jetstream:consumer", "observability-health-monitor",
            WithAuth(Consumer(server, "observability-health", "observability-health-monitor", "observability.health.*")), [streams["observability-health"]], DataOptions);
    }

    /// <summary>
    /// One stream per definition with a replica on every cluster node, reached through MainPC's server; both hubs'
    /// metrics consumers, the health monitor, and one health-peer durable per machine.
    /// </summary>
    private static void DeclareCluster(StackBuilder b, Resource nats)
    {
        var s = b.Settings;
        var server = new Endpoints(s).Nats(Machines.MainPc);
        var streams = new Dictionary<string, Resource>();
        foreach (var def in Streams)
        {
            var inputs = Stream(server, def.Name, [def.Subjects], def.MaxAge(s), s.StreamReplicas);
            streams[def.Name] = b.Add("jetstream:stream", def.Name, Authenticated(s, inputs), [nats], DataOptions);
        }
        var consumers = new (string Stream, string Name, string Filter)[]
        {
            ("observability-metrics", "observability-metrics-centralhub", "observability.metrics.*"),
            ("observability-metrics", "observability-metrics-edgehub", "observability.metrics.*"),
            ("observability-health", "observability-health-monitor", "observability.health.*"),
            ("observability-health", HealthPeerFor(Machines.Pc2), HealthSubject(Machines.MainPc)),
            ("observability-health", HealthPeerFor(Machines.MainPc), HealthSubject(Machines.Pc2)),
        };
        foreach (var (stream, name, filter) in consumers)
            b.Add("jetstream:consumer", name, Authenticated(s, Consumer(server, stream, name, filter)), [streams[stream]], DataOptions);
    }

    private static JsonObject Authenticated(StackSettings s, JsonObject inputs)
    {
        if (s.NatsPassword is null) return inputs;
        inputs["user"] = s.NatsUser;
        inputs["password"] = Secret.Wrap(s.NatsPassword);
        return inputs;
    }

    private static JsonObject Stream(string server, string name, string[] subjects, string maxAge, int replicas = 1) => new()
    {
        ["server"] = server,
        ["name"] = name,
        ["subjects"] = new JsonArray(subjects.Select(x => (JsonNode)x).ToArray()),
        ["storage"] = "file",
        ["retention"] = "limits",
        ["maxAge"] = maxAge,
        ["replicas"] = replicas,
        ["discard"] = "old",
        ["duplicateWindow"] = "2m",
    };

    private static JsonObject Source(string stream, string domain) => new() { ["name"] = stream, ["domain"] = domain };

    private static JsonObject Consumer(string server, string stream, string name, string filter) => new()
    {
        ["server"] = server,
        ["stream"] = stream,
        ["name"] = name,
        ["filterSubject"] = filter,
        ["ackPolicy"] = "explicit",
        ["deliverPolicy"] = "all",
        ["ackWait"] = "30s",
        ["maxDeliver"] = -1,
    };
}
