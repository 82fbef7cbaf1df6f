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

        var (peerStream, peerConsumer) = JetStreamTopology.PeerHealth(s);
        return RuntimeConfigYaml.Resolve(new RuntimeConfig
        {
            Machine = me,
            Listen = new Uri($"http://{spec.Listen(s.Runtime.Port, 9095)}"),
            // On the host network connections leave from this machine's address, so a cut by source address holds.
            SourceAddress = s.HostNetwork ? System.Net.IPAddress.Parse(s.This.Address) : null,
            RunAs = RunAs,
            Tiers =
            [
                Tier("local-hub", TierKind.Hub, $"http://{Sibling(s.IsCentral ? "centralhub" : "edgehub", localHubPort, s.HubContainerPort)}"),
                Tier("remote-hub", TierKind.Hub, endpoints.Hub(other)),
                Tier("pushgateway", TierKind.Pushgateway, $"http://{Sibling("pushgateway", s.PushgatewayPort, 9091)}"),
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
                Credentials = NatsSecurity.Of(s) is { } security ? new NatsCredentials(security.Runtime(me).User, security.Runtime(me).Password)
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
                HealthUrl = new Uri($"http://{s.Machines[a.Machine].Address}:{a.Port}{a.HealthPath}"),
            })),
        }, $"the runtime config of stack {b.Stack}");
    }

    /// <summary>The file the runtime reads: a header naming the stack, then the keys (runtime/README.md).</summary>
    public static string Render(RuntimeConfig config, string stack) => RuntimeConfigYaml.Write(config,
    [
        $"The failover runtime on {config.Machine}: managed by resilience (stack {stack}). Schema: runtime/README.md.",
        "Agents push here; it forwards to the best tier that is up, else to its file buffer, and publishes its decision on NATS.",
    ]);
}
