using System.Text.Json.Nodes;
using NATS.Client.JetStream.Models;
using Resilience.Contracts;
using Resilience.Contracts.JetStream;
using Resilience.Model;

namespace Resilience.Providers.JetStream;

/// <summary>A "jetstream:consumer" (<see cref="ConsumerInputs"/>) as NATS.Net configures it: a durable pull consumer.</summary>
public sealed record ConsumerSpec(
    string Stream,
    string Name,
    string? FilterSubject,
    ConsumerConfigAckPolicy AckPolicy,
    ConsumerConfigDeliverPolicy DeliverPolicy,
    TimeSpan AckWait,
    long MaxDeliver)
{
    private static readonly ResourceContract Contract = ResourceContract.Of<ConsumerInputs>();
    private static readonly string StreamKey = Contract.Key(nameof(ConsumerInputs.Stream));
    private static readonly string NameKey = Contract.Key(nameof(ConsumerInputs.Name));
    private static readonly string FilterSubjectKey = Contract.Key(nameof(ConsumerInputs.FilterSubject));
    private static readonly string AckPolicyKey = Contract.Key(nameof(ConsumerInputs.AckPolicy));
    private static readonly string DeliverPolicyKey = Contract.Key(nameof(ConsumerInputs.DeliverPolicy));
    private static readonly string AckWaitKey = Contract.Key(nameof(ConsumerInputs.AckWait));
    private static readonly string MaxDeliverKey = Contract.Key(nameof(ConsumerInputs.MaxDeliver));

    /// <summary>The keys a change of which makes another consumer: the contract's marks.</summary>
    public static IReadOnlyList<string> ReplaceKeys => Contract.ReplaceKeys;

    private static readonly TimeSpan DefaultAckWait = TimeSpan.FromSeconds(30);

    internal static (ConsumerInputs Inputs, List<CheckFailure> Failures) Check(JsonObject inputs)
    {
        var (read, failures) = JetStreamInputsReader.Read<ConsumerInputs>(inputs, (nameof(ConsumerInputs.AckWait), i => i.AckWait));
        if (JetStreamInputsReader.Duration(read.AckWait) is { } wait && wait <= TimeSpan.Zero) failures.Add(new CheckFailure(AckWaitKey, "must be longer than zero"));
        return (read, failures);
    }

    /// <exception cref="ArgumentException">The inputs are invalid (the message lists why).</exception>
    public static ConsumerSpec Read(JsonObject inputs)
    {
        var (read, failures) = Check(inputs);
        return failures.Count == 0 ? From(read) : throw JetStreamInputsReader.Invalid("jetstream:consumer", failures);
    }

    private static ConsumerSpec From(ConsumerInputs i) => new(
        i.Stream,
        i.Name,
        string.IsNullOrEmpty(i.FilterSubject) ? null : i.FilterSubject,
        JetStreamInputsReader.Nats<ConsumerAckPolicy, ConsumerConfigAckPolicy>(i.AckPolicy ?? ConsumerAckPolicy.Explicit),
        JetStreamInputsReader.Nats<ConsumerDeliverPolicy, ConsumerConfigDeliverPolicy>(i.DeliverPolicy ?? ConsumerDeliverPolicy.All),
        JetStreamInputsReader.Duration(i.AckWait) ?? DefaultAckWait,
        i.MaxDeliver ?? -1);

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
        LiveInputs.Put(live, recorded, AckPolicyKey, drifted, () => JetStreamInputsReader.NameOf<ConsumerAckPolicy, ConsumerConfigAckPolicy>(AckPolicy));
        LiveInputs.Put(live, recorded, DeliverPolicyKey, drifted, () => JetStreamInputsReader.NameOf<ConsumerDeliverPolicy, ConsumerConfigDeliverPolicy>(DeliverPolicy));
        LiveInputs.Put(live, recorded, AckWaitKey, drifted, () => new Platform.Duration(AckWait).ToString());
        LiveInputs.Put(live, recorded, MaxDeliverKey, drifted, () => MaxDeliver);
        return live;
    }

}
