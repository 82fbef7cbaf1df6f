using Resilience.Contracts;
using Resilience.Contracts.JetStream;
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
    // Retained: a stream or consumer the graph stops declaring (Phase 1 stops the server) keeps its messages and
    // positions in the server's data volume, and week 1 finds them again; a replace still deletes.
    private static readonly ResourceOptions DataOptions = new() { DeleteBeforeReplace = true, RetainOnDelete = true };

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
        var streams = new Dictionary<string, Resource>();
        foreach (var def in Streams)
        {
            var inputs = Stream(s, server, def.Name, [def.Subjects], def.MaxAge(s));
            if (s.IsCentral) inputs = inputs with { Sources = [Source(def.Name, Machines.Pc2)] };
            streams[def.Name] = b.Add(def.Name, inputs, [nats], DataOptions);
            if (s.IsCentral) b.DataPath(new DataEndpoint(Machines.Pc2, "jetstream:stream", def.Name), streams[def.Name], "source", "source");
        }
        if (!s.IsCentral)
        {
            var back = Stream(s, server, CentralAlertsOnEdge, [], s.AlertsMaxAge) with { Sources = [Source("observability-alerts", Machines.MainPc)] };
            var alerts = b.Add(CentralAlertsOnEdge, back, [nats], DataOptions);
            b.DataPath(new DataEndpoint(Machines.MainPc, "jetstream:stream", "observability-alerts"), alerts, "source", "source");
            // Only MainPC's own health comes back: PC2's would otherwise return to it through MainPC's sourced copy.
            var source = Source("observability-health", Machines.MainPc) with { FilterSubject = HealthSubject(Machines.MainPc) };
            var health = Stream(s, server, CentralHealthOnEdge, [], s.HealthMaxAge) with { Sources = [source] };
            streams[CentralHealthOnEdge] = b.Add(CentralHealthOnEdge, health, [nats], DataOptions);
            b.DataPath(new DataEndpoint(Machines.MainPc, "jetstream:stream", "observability-health"), streams[CentralHealthOnEdge], "source",
                $"source ({HealthSubject(Machines.MainPc)})");
        }
        var (peerStream, peerConsumer) = PeerHealth(s);
        b.Add(peerConsumer, Consumer(s, server, peerStream, peerConsumer, HealthSubject(Machines.Other(s.Machine))), [streams[peerStream]], DataOptions);

        var metricsConsumer = s.IsCentral ? "observability-metrics-centralhub" : "observability-metrics-edgehub";
        b.Add(metricsConsumer, Consumer(s, server, "observability-metrics", metricsConsumer, "observability.metrics.*"), [streams["observability-metrics"]], DataOptions);
        b.Add("observability-health-monitor",
            Consumer(s, server, "observability-health", "observability-health-monitor", "observability.health.*"), [streams["observability-health"]], DataOptions);
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
            streams[def.Name] = b.Add(def.Name, Stream(s, server, def.Name, [def.Subjects], def.MaxAge(s), s.StreamReplicas), [nats], DataOptions);
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
            b.Add(name, Consumer(s, server, stream, name, filter), [streams[stream]], DataOptions);
    }

    /// <summary>
    /// With the security material every object is reached over TLS (the pair's CA) as the operator's NATS user
    /// (<see cref="SecurityRoles.NatsAdmin"/>); else with a NATS password, as the stack's user; the password is a secret.
    /// </summary>
    private static SecretText? Password(StackSettings s) =>
        NatsSecurity.Of(s) is { } security ? SecretText.Hidden(security.Admin.Password)
        : s.NatsPassword is null ? null : SecretText.Hidden(s.NatsPassword);

    private static string? User(StackSettings s) =>
        NatsSecurity.Of(s) is { } security ? security.Admin.User
        : s.NatsPassword is null ? null : s.NatsUser;

    private static string? CaCertificate(StackSettings s) => NatsSecurity.Of(s)?.CaPem;

    private static StreamInputs Stream(StackSettings s, string server, string name, string[] subjects, string maxAge, int replicas = 1) => new()
    {
        Server = server,
        Name = name,
        Subjects = subjects,
        Storage = StreamStorage.File,
        Retention = StreamRetention.Limits,
        MaxAge = maxAge,
        Replicas = replicas,
        Discard = StreamDiscard.Old,
        DuplicateWindow = "2m",
        User = User(s),
        Password = Password(s),
        CaCertificate = CaCertificate(s),
    };

    private static StreamSourceInputs Source(string stream, string domain) => new() { Name = stream, Domain = domain };

    private static ConsumerInputs Consumer(StackSettings s, string server, string stream, string name, string filter) => new()
    {
        Server = server,
        Stream = stream,
        Name = name,
        FilterSubject = filter,
        AckPolicy = ConsumerAckPolicy.Explicit,
        DeliverPolicy = ConsumerDeliverPolicy.All,
        AckWait = "30s",
        MaxDeliver = -1,
        User = User(s),
        Password = Password(s),
        CaCertificate = CaCertificate(s),
    };
}
