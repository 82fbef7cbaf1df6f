using Resilience.DemoFleet.Contracts;

namespace Resilience.Stack.Config;

/// <summary>
/// The two machines of the system. MainPC carries the central hub, PC2 the edge hub. The witness is the third
/// failure domain of the three-node NATS topology: it runs a nats-server and nothing else.
/// </summary>
public static class Machines
{
    public const string MainPc = "mainpc";
    public const string Pc2 = "pc2";
    public const string Witness = "witness";
    public static readonly string[] All = [MainPc, Pc2];

    /// <summary>What a stack's resilience:machine may name.</summary>
    public static readonly string[] Stacks = [MainPc, Pc2, Witness];

    public static string Other(string machine) => machine == MainPc ? Pc2 : MainPc;
}

/// <summary>How the machines' nats-servers are joined (resilience:natsTopology).</summary>
public static class NatsTopologies
{
    /// <summary>One JetStream domain per machine, PC2 leafed to MainPC, streams sourced across (the default).</summary>
    public const string Leafnode = "leafnode";

    /// <summary>One JetStream cluster of MainPC, PC2 and a witness, R3 streams: survives losing any one.</summary>
    public const string ThreeNode = "three-node";

    /// <summary>The seeds' cluster of MainPC and PC2 with R2 streams: every write stops when either node stops.</summary>
    public const string TwoNode = "two-node";

    public static readonly string[] All = [Leafnode, ThreeNode, TwoNode];
}

public sealed record MachineSettings(string Name, string Address, int NatsPort, int NatsMonitorPort);

public sealed record RemoteWriteSettings(
    int Capacity, int MinShards, int MaxShards, int MaxSamplesPerSend,
    string BatchSendDeadline, string MinBackoff, string MaxBackoff, bool RetryOnHttp429);

public sealed record FailoverSettings(int HealthCheckInterval, int MaxRetries, int FailoverThreshold, int RecoveryTimeout);

public sealed record ImageSettings(string Source, string Prometheus, string Pushgateway, string Nats);

/// <param name="Image">The pinned image pulled with imageSource registry.</param>
/// <param name="Project">The runtime's project folder, published and built into the local image (relative to the project directory).</param>
public sealed record RuntimeSettings(int Port, string Image, string Project, TimeSpan ProbeInterval, TimeSpan FailbackHold);

/// <param name="Enabled">Deploy the demo fleet (fleet/): the committed demo stacks do, a production stack does not.</param>
/// <param name="Image">The pinned image pulled with imageSource registry.</param>
/// <param name="Project">The fleet's project folder, published and built into the local image (relative to the project directory).</param>
public sealed record DemoFleetSettings(bool Enabled, int ControlPort, TimeSpan PushPeriod, string Project, string Image);

/// <summary>Everything the program needs from config, typed and validated.</summary>
public sealed record StackSettings
{
    public required string Stack { get; init; }
    public required string Machine { get; init; }
    public required int Week { get; init; }
    public required int MigrationBatches { get; init; }
    public required IReadOnlyDictionary<string, MachineSettings> Machines { get; init; }
    public required string Network { get; init; }
    public required int CentralHubPort { get; init; }
    public required int EdgeHubPort { get; init; }
    public required int HubContainerPort { get; init; }
    public required int PushgatewayPort { get; init; }
    public required int NatsLeafPort { get; init; }
    public required int NatsClusterPort { get; init; }
    public required string CentralScrapeInterval { get; init; }
    public required string EdgeScrapeInterval { get; init; }
    public required string CentralRetention { get; init; }
    public required string EdgeRetention { get; init; }
    public required string PushgatewayPersistenceInterval { get; init; }
    public required RemoteWriteSettings RemoteWrite { get; init; }
    public required string NatsPingInterval { get; init; }
    public required int NatsPingMax { get; init; }
    public required string NatsTopology { get; init; }
    public required string MetricsMaxAge { get; init; }
    public required string HealthMaxAge { get; init; }
    public required string AlertsMaxAge { get; init; }
    public required ImageSettings Images { get; init; }
    public required string HostRoot { get; init; }
    public required string Inventory { get; init; }
    public required FailoverSettings Failover { get; init; }
    public required RuntimeSettings Runtime { get; init; }
    public required DemoFleetSettings DemoFleet { get; init; }
    public required AlertSettings Alerts { get; init; }

    /// <summary>resilience:agentRestartCommand as written, placeholders unfilled (<see cref="Components.AgentRestart"/>).</summary>
    public required string AgentRestartCommand { get; init; }

    /// <summary>NATS credentials for clients and the leaf link; no authentication when the password is not set.</summary>
    public required string NatsUser { get; init; }
    public required string? NatsPassword { get; init; }

    /// <summary>The password's ciphertext as the stack file holds it (public): changes when the password does.</summary>
    public string? NatsPasswordCiphertext { get; init; }

    /// <summary>TLS and credentials for every listener; null while the stack has none (its listeners run open).</summary>
    public SecuritySettings? Security { get; init; }

    public MachineSettings This => Machines[Machine];
    public MachineSettings MainPc => Machines[Config.Machines.MainPc];
    public MachineSettings Pc2 => Machines[Config.Machines.Pc2];
    public MachineSettings Witness => Machines[Config.Machines.Witness];
    public bool IsCentral => Machine == Config.Machines.MainPc;
    public bool IsWitness => Machine == Config.Machines.Witness;

    /// <summary>The nats-servers form one JetStream cluster (three-node or two-node) instead of leafed domains.</summary>
    public bool NatsCluster => NatsTopology != NatsTopologies.Leafnode;

    /// <summary>The machines whose nats-servers form the cluster, in a fixed order (empty for the leafnode topology).</summary>
    public IReadOnlyList<string> ClusterMachines => NatsTopology switch
    {
        NatsTopologies.ThreeNode => [Config.Machines.MainPc, Config.Machines.Pc2, Config.Machines.Witness],
        NatsTopologies.TwoNode => [Config.Machines.MainPc, Config.Machines.Pc2],
        _ => [],
    };

    /// <summary>Replicas of each stream: one per cluster node, or 1 in a machine's own domain.</summary>
    public int StreamReplicas => NatsCluster ? ClusterMachines.Count : 1;
    public bool HostNetwork => Network == "host";

    public static StackSettings Read(TypedConfig c)
    {
        var machine = c.OneOf("machine", Config.Machines.Stacks);
        var topology = c.OneOf("natsTopology", NatsTopologies.All);
        if (machine == Config.Machines.Witness && topology != NatsTopologies.ThreeNode)
        {
            var where = c.Config.Find("natsTopology")!;
            throw TypedConfig.Error(c.Require("machine"),
                $"'witness' is the third node of the three-node NATS topology only, but {where.Key} is '{topology}' ({where.File}: {where.Where})");
        }
        var machines = Config.Machines.Stacks.ToDictionary(m => m, m => new MachineSettings(
            m, c.Address($"{m}Address"), c.Port($"{m}NatsPort"), c.Port($"{m}NatsMonitorPort")));
        return new StackSettings
        {
            Stack = c.Config.Stack,
            Machine = machine,
            Week = c.Int("rolloutWeek", 0, 4),
            MigrationBatches = c.Int("migrationBatches", 0, 3),
            Machines = machines,
            Network = c.OneOf("network", "host", "bridge"),
            CentralHubPort = c.Port("centralHubPort"),
            EdgeHubPort = c.Port("edgeHubPort"),
            HubContainerPort = c.Port("hubContainerPort"),
            PushgatewayPort = c.Port("pushgatewayPort"),
            NatsLeafPort = c.Port("natsLeafPort"),
            NatsClusterPort = c.Port("natsClusterPort"),
            CentralScrapeInterval = c.Duration("centralScrapeInterval"),
            EdgeScrapeInterval = c.Duration("edgeScrapeInterval"),
            CentralRetention = c.Duration("centralRetention"),
            EdgeRetention = c.Duration("edgeRetention"),
            PushgatewayPersistenceInterval = c.Duration("pushgatewayPersistenceInterval"),
            RemoteWrite = new RemoteWriteSettings(
                c.Int("remoteWriteCapacity", 1, 10_000_000), c.Int("remoteWriteMinShards", 1, 1000),
                c.Int("remoteWriteMaxShards", 1, 1000), c.Int("remoteWriteMaxSamplesPerSend", 1, 1_000_000),
                c.Duration("remoteWriteBatchSendDeadline"), c.Duration("remoteWriteMinBackoff"),
                c.Duration("remoteWriteMaxBackoff"), c.Bool("remoteWriteRetryOnHttp429")),
            NatsPingInterval = c.ParsedDuration("natsPingInterval", goReadable: true).Text,
            NatsPingMax = c.Int("natsPingMax", 1, 100),
            NatsTopology = topology,
            MetricsMaxAge = StreamMaxAge(c, "metricsMaxAge"),
            HealthMaxAge = StreamMaxAge(c, "healthMaxAge"),
            AlertsMaxAge = StreamMaxAge(c, "alertsMaxAge"),
            Images = new ImageSettings(c.OneOf("imageSource", "local", "registry"),
                c.PinnedImage("prometheusImage"), c.PinnedImage("pushgatewayImage"), c.PinnedImage("natsImage")),
            HostRoot = c.String("hostRoot"),
            Inventory = c.String("inventory"),
            Failover = new FailoverSettings(c.Int("healthCheckInterval", 1, 86400), c.Int("maxRetries", 0, 100),
                c.Int("failoverThreshold", 1, 100), c.Int("recoveryTimeout", 1, 86400)),
            Runtime = new RuntimeSettings(c.Port("runtimePort"), c.PinnedImage("runtimeImage"), c.String("runtimeProject"),
                c.ParsedDuration("runtimeProbeInterval").Value, c.ParsedDuration("runtimeFailbackHold").Value),
            DemoFleet = DemoFleetFrom(c),
            Alerts = AlertSettings.Read(c),
            AgentRestartCommand = Components.AgentRestart.Checked(c),
            NatsUser = c.String("natsUser"),
            NatsPassword = c.SecretOrNull("natsPassword"),
            NatsPasswordCiphertext = c.Config.Find("natsPassword")?.Ciphertext,
            Security = SecurityMaterial.Read(c, machine),
        };
    }

    private static DemoFleetSettings DemoFleetFrom(TypedConfig c)
    {
        var (text, period) = c.ParsedDuration("demoFleetPushPeriod");
        if (period.Value < FleetConfig.MinimumPushPeriod)
            throw TypedConfig.Error(c.Config.Find("demoFleetPushPeriod")!, $"'{text}' is below the demo fleet's minimum push period of {FleetDuration.Format(FleetConfig.MinimumPushPeriod)}");
        return new DemoFleetSettings(c.Bool("demoFleet"), c.Port("demoFleetControlPort"), period.Value,
            c.String("demoFleetProject"), c.PinnedImage("demoFleetImage"));
    }

    /// <summary>
    /// A stream's max age: a Go duration (no d/w/y: NATS reads Go's units) of at least the streams' 2 m duplicate window,
    /// which nats-server refuses to exceed the max age (error 10052) — refused here, before anything is applied.
    /// </summary>
    private static string StreamMaxAge(TypedConfig c, string key)
    {
        var (text, age) = c.ParsedDuration(key, goReadable: true, what: "a stream age");
        if (age < TimeSpan.FromMinutes(2))
            throw TypedConfig.Error(c.Config.Find(key)!, $"'{text}' is shorter than the streams' 2m duplicate window, which nats-server refuses to exceed the max age");
        return text;
    }
}
