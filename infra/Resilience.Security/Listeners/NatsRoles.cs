namespace Resilience.Security.Listeners;

/// <summary>
/// What each kind of NATS client may do, by the subjects of docs/../shared NATS.md and the runtime's config:
/// <c>observability.metrics.&lt;machine&gt;</c>, <c>observability.health.&lt;machine&gt;</c>,
/// <c>observability.alerts.failover</c>, the KV bucket <c>resilience-failover</c> (key = machine) and the durable
/// <c>observability-health-peer</c>. Replies come back on <c>_INBOX.&gt;</c>: JetStream acks and API answers need it.
/// </summary>
public static class NatsRoles
{
    public const string Inbox = "_INBOX.>";
    public const string DefaultKvBucket = "resilience-failover";

    /// <summary>An agent publishes its machine's health and metrics (JetStream acks come back to its inbox) and reads
    /// the failover decision of its machine; it cannot read other subjects or touch a stream.</summary>
    public static NatsPermissions Agent(string machine, string kvBucket = DefaultKvBucket) => new(
        [
            $"observability.metrics.{machine}", $"observability.health.{machine}",
            // NATS.Net reads a key with a direct get whose body names the key, so the subject cannot narrow it to one
            // key: an agent may read every machine's decision (read only; there are two).
            $"$JS.API.STREAM.INFO.KV_{kvBucket}", $"$JS.API.DIRECT.GET.KV_{kvBucket}", $"$JS.API.STREAM.MSG.GET.KV_{kvBucket}",
        ],
        [Inbox]);

    /// <summary>
    /// A machine's failover runtime: publishes its machine's health, the failover events and its own KV key (creating
    /// the bucket if missing), reads the other machine's health through its durable consumer, and probes the peer's
    /// JetStream domain. It cannot publish as the other machine, delete or change other streams.
    /// </summary>
    public static NatsPermissions Runtime(string machine, string peerHealthStream, string peerHealthConsumer, string? peerDomain,
        string failoverSubject = "observability.alerts.failover", string kvBucket = DefaultKvBucket)
    {
        var kvStream = "KV_" + kvBucket;
        var publish = new List<string>
        {
            $"observability.health.{machine}", failoverSubject, $"$KV.{kvBucket}.{machine}",
            "$JS.API.INFO", "$JS.API.STREAM.NAMES", "$JS.API.STREAM.INFO.*",
            $"$JS.API.STREAM.CREATE.{kvStream}", $"$JS.API.STREAM.UPDATE.{kvStream}",
            $"$JS.API.DIRECT.GET.{kvStream}", $"$JS.API.DIRECT.GET.{kvStream}.>", $"$JS.API.STREAM.MSG.GET.{kvStream}",
            $"$JS.API.CONSUMER.CREATE.{peerHealthStream}.{peerHealthConsumer}", $"$JS.API.CONSUMER.CREATE.{peerHealthStream}.{peerHealthConsumer}.>",
            $"$JS.API.CONSUMER.DURABLE.CREATE.{peerHealthStream}.{peerHealthConsumer}",
            $"$JS.API.CONSUMER.INFO.{peerHealthStream}.{peerHealthConsumer}",
            $"$JS.API.CONSUMER.MSG.NEXT.{peerHealthStream}.{peerHealthConsumer}",
            $"$JS.ACK.{peerHealthStream}.{peerHealthConsumer}.>",
        };
        if (peerDomain is not null) publish.AddRange([$"$JS.{peerDomain}.API.INFO", $"$JS.{peerDomain}.API.STREAM.INFO.*"]);
        return new NatsPermissions(publish, [Inbox]);
    }

    /// <summary>
    /// The leaf link, as the user the edge's leafnode remote presents to the hub. The hub applies a leaf user's
    /// permissions to what crosses the link: publish = what the edge may send into the hub, subscribe = what the hub
    /// forwards to the edge. Only the JetStream traffic of cross-domain sourcing crosses: the hub's API requests for
    /// the edge's streams, the edge's for the hub's, and the sourced messages and their flow control.
    /// </summary>
    public static NatsPermissions LeafLink(string hubDomain, string edgeDomain, IReadOnlyList<string> hubStreamsSourcedByEdge, IReadOnlyList<string> edgeStreamsSourcedByHub)
    {
        string[] sourcing = ["_INBOX.>", "$JS.S.>", "$JS.FC.>", "$JSC.>"];
        return new NatsPermissions(
            [.. hubStreamsSourcedByEdge.SelectMany(s => SourcingApi(hubDomain, s)), .. sourcing],
            [.. edgeStreamsSourcedByHub.SelectMany(s => SourcingApi(edgeDomain, s)), .. sourcing]);
    }

    /// <summary>The API calls a stream sourcing <paramref name="stream"/> in <paramref name="domain"/> makes.</summary>
    private static IEnumerable<string> SourcingApi(string domain, string stream) =>
    [
        $"$JS.{domain}.API.CONSUMER.CREATE.{stream}", $"$JS.{domain}.API.CONSUMER.CREATE.{stream}.>",
        $"$JS.{domain}.API.CONSUMER.DELETE.{stream}.>", $"$JS.{domain}.API.STREAM.INFO.{stream}",
    ];

    /// <summary>The operator's own tool (the JetStream provider creates and updates every stream): no limits. It is the
    /// one role whose credentials stay on the operator's side, in the stack files.</summary>
    public static NatsPermissions? Admin() => null;
}
