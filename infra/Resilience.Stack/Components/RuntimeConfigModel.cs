using Resilience.Stack.Config;
using Resilience.Stack.Inventory;

namespace Resilience.Stack.Components;

/// <summary>
/// Every value of the runtime's config file (templates/runtime.yaml.sbn), in one place. The runtime's loader rejects
/// unknown keys, so the template renders exactly the keys of its current schema (runtime/README.md); a new section
/// is a new property here and a new block there.
/// </summary>
public sealed record RuntimeConfigModel(
    string Machine,
    string Stack,
    string Listen,
    string? SourceAddress,
    IReadOnlyList<RuntimeConfigModel.Tier> Tiers,
    RuntimeConfigModel.BufferSection Buffer,
    RuntimeConfigModel.ProbeSection Probe,
    RuntimeConfigModel.NatsSection Nats,
    RuntimeConfigModel.PeerSection Peer,
    RuntimeConfigModel.HealthSection Health,
    IReadOnlyList<RuntimeConfigModel.AgentEntry> Agents)
{
    /// <summary>
    /// The user the runtime gives root up for once it has read its config (0600, owned by whoever deployed): nobody.
    /// It needs no privilege after that; its buffer directory is handed over first.
    /// </summary>
    public string RunAs => "65534:65534";

    public sealed record Tier(string Name, string Kind, string Url);

    public sealed record BufferSection(string Path, long MaxBytes, string Fsync);

    /// <param name="ResendWindow">
    /// PC2: 5 s — what EdgeHub accepted but had not yet forwarded when it died (batch_send_deadline 1 s, plus up to
    /// ~3.5 s to notice a hung hub) is re-sent to CentralHub. MainPC: 0 — CentralHub forwards nothing, and its own
    /// samples come back from its WAL.
    /// </param>
    public sealed record ProbeSection(string Interval, string Timeout, int FailoverThreshold, string FailbackHold, string MaxBackoff, string ForwardTimeout,
        string ResendWindow);

    public sealed record NatsSection(string Url, string KvBucket, string FailoverSubject, string HealthSubjectPrefix,
        string PeerHealthStream, string PeerHealthConsumer);

    /// <param name="JetStreamDomain">The peer's JetStream domain (leafnode topology); clusters have none.</param>
    public sealed record PeerSection(string Machine, string HubUrl, string? JetStreamDomain);

    public sealed record HealthSection(string Interval, string Timeout);

    public sealed record AgentEntry(string Name, string HealthUrl);

    public const string KvBucket = "resilience-failover";
    public const string FailoverSubject = "observability.alerts.failover";
    public const string HealthSubjectPrefix = "observability.health";

    /// <param name="spec">The runtime container's spec: how it listens and reaches its sibling containers in either network mode.</param>
    public static RuntimeConfigModel For(StackBuilder b, ContainerSpec spec, IEnumerable<Agent> agents)
    {
        var s = b.Settings;
        var endpoints = new Endpoints(s);
        var me = s.Machine;
        var other = Machines.Other(me);
        var localHubPort = endpoints.HubPort(me);
        // Siblings on this machine: the machine address on the host network, the container name inside a bridge.
        string Sibling(string component, int hostPort, int containerPort) =>
            s.HostNetwork ? $"{s.This.Address}:{hostPort}" : $"{b.ContainerName(component)}:{containerPort}";

        var tiers = new List<Tier>
        {
            new("local-hub", "hub", $"http://{Sibling(s.IsCentral ? "centralhub" : "edgehub", localHubPort, s.HubContainerPort)}"),
            new("remote-hub", "hub", endpoints.Hub(other)),
            new("pushgateway", "pushgateway", $"http://{Sibling("pushgateway", s.PushgatewayPort, 9091)}"),
        };
        var nats = $"nats://{Sibling("nats", s.This.NatsPort, 4222)}";
        if (s.NatsPassword is not null) nats = NatsNode.WithCredentials(nats, s.NatsUser, s.NatsPassword);
        var (peerStream, peerConsumer) = JetStreamTopology.PeerHealth(s);

        return new RuntimeConfigModel(
            me,
            s.Stack,
            $"http://{spec.Listen(s.Runtime.Port, 9095)}",
            // On the host network connections leave from this machine's address, so a cut by source address holds.
            s.HostNetwork ? s.This.Address : null,
            tiers,
            new BufferSection("/data/buffer.log", 64L * 1024 * 1024, "always"),
            new ProbeSection(new Platform.Duration(s.Runtime.ProbeInterval).ToString(), "500ms", s.Failover.FailoverThreshold, new Platform.Duration(s.Runtime.FailbackHold).ToString(), "30s", "2s",
                s.IsCentral ? "0s" : "5s"),
            new NatsSection(nats, KvBucket, FailoverSubject, HealthSubjectPrefix, peerStream, peerConsumer),
            new PeerSection(other, endpoints.Hub(other), s.NatsCluster ? null : other),
            // The seeds' health sync period; a change is published at the next agent probe (the runtime's default, 5 s).
            new HealthSection("60s", "2s"),
            agents.Select(a => new AgentEntry(a.Name, $"http://{s.Machines[a.Machine].Address}:{a.Port}{a.HealthPath}")).ToList());
    }
}
