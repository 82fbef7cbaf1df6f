using System.Text.Json.Nodes;
using NATS.Client.JetStream.Models;

namespace Resilience.Providers.JetStream;

/// <summary>The inputs of a "jetstream:consumer" resource: a durable pull consumer, as nats-server 2.9 keeps it.</summary>
public sealed record ConsumerSpec(
    string Stream,
    string Name,
    string? FilterSubject,
    ConsumerConfigAckPolicy AckPolicy,
    ConsumerConfigDeliverPolicy DeliverPolicy,
    TimeSpan AckWait,
    long MaxDeliver)
{
    public const string StreamKey = "stream";
    public const string NameKey = "name";
    public const string FilterSubjectKey = "filterSubject";
    public const string AckPolicyKey = "ackPolicy";
    public const string DeliverPolicyKey = "deliverPolicy";
    public const string AckWaitKey = "ackWait";
    public const string MaxDeliverKey = "maxDeliver";

    /// <summary>
    /// Changes that make another consumer: nats-server 2.9 refuses a new deliver or ack policy in place (err_code 10012),
    /// and a consumer cannot move to another stream or be renamed.
    /// </summary>
    public static readonly IReadOnlyList<string> ReplaceKeys = [StreamKey, NameKey, AckPolicyKey, DeliverPolicyKey];

    private static readonly string[] ObjectKeys =
        [StreamKey, NameKey, FilterSubjectKey, AckPolicyKey, DeliverPolicyKey, AckWaitKey, MaxDeliverKey];

    public static readonly IReadOnlyList<string> Keys = [.. JetStreamTarget.Keys, .. ObjectKeys];

    private static readonly TimeSpan DefaultAckWait = TimeSpan.FromSeconds(30);

    private static readonly Dictionary<string, ConsumerConfigAckPolicy> AckPolicies = new()
    {
        ["explicit"] = ConsumerConfigAckPolicy.Explicit,
        ["none"] = ConsumerConfigAckPolicy.None,
        ["all"] = ConsumerConfigAckPolicy.All,
    };

    private static readonly Dictionary<string, ConsumerConfigDeliverPolicy> DeliverPolicies = new()
    {
        ["all"] = ConsumerConfigDeliverPolicy.All,
        ["new"] = ConsumerConfigDeliverPolicy.New,
        ["last"] = ConsumerConfigDeliverPolicy.Last,
    };

    internal static ConsumerSpec Read(InputReader inputs)
    {
        inputs.RejectUnknownKeys(Keys);
        var stream = inputs.RequiredString(StreamKey);
        var name = inputs.RequiredString(NameKey);
        if (name.Length > 0 && name.Any(c => c is '.' or '*' or '>' or '/' or '\\' || char.IsWhiteSpace(c)))
        {
            inputs.Problem(NameKey, $"'{name}' is not a consumer name (no spaces, dots, '*', '>', '/' or '\\')");
        }
        var ackWait = inputs.Duration(AckWaitKey, DefaultAckWait);
        if (ackWait <= TimeSpan.Zero) inputs.Problem(AckWaitKey, "must be longer than zero");
        var maxDeliver = inputs.Integer(MaxDeliverKey, -1);
        if (maxDeliver is 0 or < -1) inputs.Problem(MaxDeliverKey, $"{maxDeliver} is neither -1 (unlimited) nor a positive count");
        return new ConsumerSpec(
            stream,
            name,
            inputs.OptionalString(FilterSubjectKey),
            inputs.Choice(AckPolicyKey, AckPolicies, ConsumerConfigAckPolicy.Explicit),
            inputs.Choice(DeliverPolicyKey, DeliverPolicies, ConsumerConfigDeliverPolicy.All),
            ackWait,
            maxDeliver);
    }

    // FilterSubject, never FilterSubjects: 2.9 drops the plural and the consumer would then see every subject.
    public ConsumerConfig ToConfig() => new(Name)
    {
        DurableName = Name,
        FilterSubject = FilterSubject,
        AckPolicy = AckPolicy,
        DeliverPolicy = DeliverPolicy,
        AckWait = AckWait,
        MaxDeliver = MaxDeliver,
    };

    public static ConsumerSpec FromLive(string stream, ConsumerConfig config) => new(
        stream,
        config.DurableName ?? config.Name ?? string.Empty,
        string.IsNullOrEmpty(config.FilterSubject) ? null : config.FilterSubject,
        config.AckPolicy,
        config.DeliverPolicy,
        config.AckWait,
        config.MaxDeliver);

    /// <summary>The keys in which this consumer does not match <paramref name="wanted"/>.</summary>
    public IReadOnlyList<string> ChangedKeys(ConsumerSpec wanted)
    {
        var changed = new List<string>();
        if (Stream != wanted.Stream) changed.Add(StreamKey);
        if (Name != wanted.Name) changed.Add(NameKey);
        if (FilterSubject != wanted.FilterSubject) changed.Add(FilterSubjectKey);
        if (AckPolicy != wanted.AckPolicy) changed.Add(AckPolicyKey);
        if (DeliverPolicy != wanted.DeliverPolicy) changed.Add(DeliverPolicyKey);
        if (AckWait != wanted.AckWait) changed.Add(AckWaitKey);
        if (MaxDeliver != wanted.MaxDeliver) changed.Add(MaxDeliverKey);
        return changed;
    }

    /// <summary>This (live) consumer as inputs, in the spelling of <paramref name="recorded"/> wherever they agree.</summary>
    public JsonObject ToLiveInputs(JsonObject recorded, ConsumerSpec recordedSpec)
    {
        var drifted = ChangedKeys(recordedSpec);
        var live = new JsonObject();
        foreach (var key in JetStreamTarget.Keys) LiveInputs.Put(live, recorded, key, [], () => null);
        LiveInputs.Put(live, recorded, StreamKey, drifted, () => Stream);
        LiveInputs.Put(live, recorded, NameKey, drifted, () => Name);
        LiveInputs.Put(live, recorded, FilterSubjectKey, drifted, () => FilterSubject);
        LiveInputs.Put(live, recorded, AckPolicyKey, drifted, () => NameOf(AckPolicies, AckPolicy));
        LiveInputs.Put(live, recorded, DeliverPolicyKey, drifted, () => NameOf(DeliverPolicies, DeliverPolicy));
        LiveInputs.Put(live, recorded, AckWaitKey, drifted, () => new Platform.Duration(AckWait).ToString());
        LiveInputs.Put(live, recorded, MaxDeliverKey, drifted, () => MaxDeliver);
        return live;
    }

    // A policy set behind our back that inputs cannot express (e.g. by_start_sequence) still shows as drift.
    private static string NameOf<T>(Dictionary<string, T> names, T value) where T : struct, Enum =>
        names.FirstOrDefault(p => p.Value.Equals(value)).Key ?? value.ToString().ToLowerInvariant();
}
