using Resilience.Platform;
using Resilience.Runtime.Contracts;
using Resilience.Stack.Config;
using Resilience.Stack.Inventory;

namespace Resilience.Stack.Components;

/// <summary>
/// The runtime's config file for this machine: the contract type the runtime reads (<see cref="RuntimeConfig"/>),
/// filled from the stack's settings and written with <see cref="RuntimeConfigYaml"/>.
/// </summary>
public static class RuntimeConfigModel
{
    /// <summary>
    /// The user the runtime gives root up for once it has read its config (0600, owned by whoever deployed): nobody.
    /// It needs no privilege after that; its buffer directory is handed over first.
    /// </summary>
    public static readonly UnixUser RunAs = new(65534, 65534);

    public const string KvBucket = NatsConfig.DefaultKvBucket;

    /// <summary>
    /// The role the runtime presents on its own calls: remote write to the hubs, pushes to the Pushgateway, readiness
    /// probes of both, the peer's hub and the agents' /health. Hub: it writes to and reads from hubs and scrapes agents
    /// as a hub does, and the Prometheus family's web configs list every HTTP user.
    /// </summary>
    public const string ClientRole = SecurityRoles.Hub;

    /// <summary>Where the runtime's container sees its TLS files (<see cref="ListenerTls.DeclareFiles"/> under runtime/).</summary>
    private const string TlsDir = "/etc/resilience/tls";

    /// <summary>The resolved record (checked, dependent defaults filled in): what the runtime reads back from the file.</summary>
    /// <param name="spec">The runtime container's spec: how it listens and reaches its sibling containers in either network mode.</param>
    public static RuntimeConfig For(StackBuilder b, ContainerSpec spec, IEnumerable<Agent> agents)
    {
        var s = b.Settings;
        var endpoints = new Endpoints(s);
        var me = s.Machine;
        var other = Machines.Other(me);
        var localHubPort = endpoints.HubPort(me);
        // Siblings on this machine: the machine address on the host network, the container name inside a bridge.
        string Sibling(string component, int hostPort, int containerPort) =>
            s.HostNetwork ? $"{s.This.Address}:{hostPort}" : $"{b.ContainerName(component)}:{containerPort}";
        TierConfig Tier(string name, TierKind kind, string url) => new() { Name = name, Kind = kind, Url = new Uri(url) };
        // The local hub and Pushgateway serve HTTPS when the stack has security material (their web config).
        var web = ListenerTls.Scheme(s);

        var (peerStream, peerConsumer) = JetStreamTopology.PeerHealth(s);
        return RuntimeConfigYaml.Resolve(new RuntimeConfig
        {
            Machine = me,
            Listen = new Uri($"{ListenerTls.Scheme(s)}://{spec.Listen(s.Runtime.Port, 9095)}"),
            // On the host network connections leave from this machine's address, so a cut by source address holds.
            SourceAddress = s.HostNetwork ? System.Net.IPAddress.Parse(s.This.Address) : null,
            RunAs = RunAs,
            Tiers =
            [
                Tier("local-hub", TierKind.Hub, $"{web}://{Sibling(s.IsCentral ? "centralhub" : "edgehub", localHubPort, s.HubContainerPort)}"),
                Tier("remote-hub", TierKind.Hub, endpoints.Hub(other)),
                Tier("pushgateway", TierKind.Pushgateway, $"{web}://{Sibling("pushgateway", s.PushgatewayPort, 9091)}"),
            ],
            Buffer = new BufferConfig { Path = "/data/buffer.log", MaxBytes = 64L * 1024 * 1024, Fsync = FsyncPolicy.Always },
            Probe = new ProbeConfig
            {
                Interval = s.Runtime.ProbeInterval,
                Timeout = TimeSpan.FromMilliseconds(500),
                FailoverThreshold = s.Failover.FailoverThreshold,
                FailbackHold = s.Runtime.FailbackHold,
                MaxBackoff = TimeSpan.FromSeconds(30),
                ForwardTimeout = TimeSpan.FromSeconds(2),
                // Only PC2 re-sends a failed hub's window: CentralHub forwards nothing, and its own samples come back from its WAL.
                ResendWindow = s.IsCentral ? TimeSpan.Zero : TimeSpan.FromSeconds(5),
            },
            Nats = new NatsConfig
            {
                Url = new Uri($"nats://{Sibling("nats", s.This.NatsPort, 4222)}"),
                Credentials = NatsSecurity.Of(s) is { } nats ? new NatsCredentials(nats.Runtime(me).User, nats.Runtime(me).Password)
                    : s.NatsPassword is null ? null : new NatsCredentials(s.NatsUser, s.NatsPassword),
                CaFile = NatsSecurity.Of(s) is null ? null : NatsSecurity.RuntimeCaFile,
                PeerHealthStream = peerStream,
                PeerHealthConsumer = peerConsumer,
            },
            Peer = new PeerConfig
            {
                Machine = other,
                HubUrl = new Uri(endpoints.Hub(other)),
                JetStreamDomain = s.NatsCluster ? null : other,
            },
            // The seeds' health sync period; a change is published at the next agent probe (the runtime's default, 5 s).
            Health = new HealthConfig { Interval = TimeSpan.FromSeconds(60), Timeout = TimeSpan.FromSeconds(2) },
            Agents = new ValueList<AgentConfig>(agents.Select(a => new AgentConfig
            {
                Name = a.Name,
                HealthUrl = new Uri($"{ListenerTls.AgentScheme(s)}://{s.Machines[a.Machine].Address}:{a.Port}{a.HealthPath}"),
            })),
            Https = s.Security is { } security ? Https(security) : null,
        }, $"the runtime config of stack {b.Stack}");
    }

    /// <summary>The listener's material and users (every HTTP role's accepted users, by bcrypt hash: during a rotation the
    /// next or retiring generation too), and the runtime's own credential (the current one).</summary>
    private static HttpsConfig Https(SecuritySettings security)
    {
        IEnumerable<HttpUser> Users(string role, HttpRole kind) => security.Accepted(role)
            .Select(user => new HttpUser { User = user.User, Role = kind, PasswordHash = user.PasswordHash });
        var client = security.User(ClientRole);
        return new HttpsConfig
        {
            CertFile = $"{TlsDir}/machine.crt",
            KeyFile = $"{TlsDir}/machine.key",
            CaFile = $"{TlsDir}/ca.crt",
            Users = [.. Users(SecurityRoles.Operator, HttpRole.Operator), .. Users(SecurityRoles.Hub, HttpRole.Hub), .. Users(SecurityRoles.Pusher, HttpRole.Pusher)],
            Client = new HttpCredentials { User = client.User, Password = client.Password },
        };
    }

    /// <summary>The file the runtime reads: a header naming the stack, then the keys (runtime/README.md).</summary>
    public static string Render(RuntimeConfig config, string stack) => RuntimeConfigYaml.Write(config,
    [
        $"The failover runtime on {config.Machine}: managed by resilience (stack {stack}). Schema: runtime/README.md.",
        "Agents push here; it forwards to the best tier that is up, else to its file buffer, and publishes its decision on NATS.",
    ]);
}
