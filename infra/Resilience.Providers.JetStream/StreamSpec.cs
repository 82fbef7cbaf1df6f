using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NATS.Client.JetStream.Models;
using Resilience.Contracts;
using Resilience.Contracts.JetStream;
using Resilience.Model;

namespace Resilience.Providers.JetStream;

/// <summary>A source of a stream: another stream, possibly in another JetStream domain.</summary>
public sealed record SourceSpec(string Name, string? Domain, string? FilterSubject)
{
    public JsonObject ToJson() => ContractJson.Write(new StreamSourceInputs { Name = Name, Domain = Domain, FilterSubject = FilterSubject });
}

/// <summary>A "jetstream:stream" (<see cref="StreamInputs"/>) as NATS.Net configures it, limited to what nats-server 2.9 keeps.</summary>
public sealed partial record StreamSpec(
    string Name,
    IReadOnlyList<string> Subjects,
    StreamConfigStorage Storage,
    StreamConfigRetention Retention,
    TimeSpan MaxAge,
    long Replicas,
    long MaxBytes,
    StreamConfigDiscard Discard,
    TimeSpan? DuplicateWindow,
    IReadOnlyList<SourceSpec> Sources)
{
    private static readonly ResourceContract Contract = ResourceContract.Of<StreamInputs>();
    private static readonly string NameKey = Contract.Key(nameof(StreamInputs.Name));
    private static readonly string SubjectsKey = Contract.Key(nameof(StreamInputs.Subjects));
    private static readonly string StorageKey = Contract.Key(nameof(StreamInputs.Storage));
    private static readonly string RetentionKey = Contract.Key(nameof(StreamInputs.Retention));
    private static readonly string MaxAgeKey = Contract.Key(nameof(StreamInputs.MaxAge));
    private static readonly string ReplicasKey = Contract.Key(nameof(StreamInputs.Replicas));
    private static readonly string MaxBytesKey = Contract.Key(nameof(StreamInputs.MaxBytes));
    private static readonly string DiscardKey = Contract.Key(nameof(StreamInputs.Discard));
    private static readonly string DuplicateWindowKey = Contract.Key(nameof(StreamInputs.DuplicateWindow));
    private static readonly string SourcesKey = Contract.Key(nameof(StreamInputs.Sources));

    /// <summary>The keys a change of which replaces the stream (and loses its messages): the contract's marks.</summary>
    public static IReadOnlyList<string> ReplaceKeys => Contract.ReplaceKeys;

    internal static (StreamInputs Inputs, List<CheckFailure> Failures) Check(JsonObject inputs) =>
        JetStreamInputsReader.Read<StreamInputs>(inputs, (nameof(StreamInputs.MaxAge), i => i.MaxAge), (nameof(StreamInputs.DuplicateWindow), i => i.DuplicateWindow));

    /// <exception cref="ArgumentException">The inputs are invalid (the message lists why).</exception>
    public static StreamSpec Read(JsonObject inputs)
    {
        var (read, failures) = Check(inputs);
        return failures.Count == 0 ? From(read) : throw JetStreamInputsReader.Invalid("jetstream:stream", failures);
    }

    private static StreamSpec From(StreamInputs i) => new(
        i.Name,
        i.Subjects ?? [],
        JetStreamInputsReader.Nats<StreamStorage, StreamConfigStorage>(i.Storage ?? StreamStorage.File),
        JetStreamInputsReader.Nats<StreamRetention, StreamConfigRetention>(i.Retention ?? StreamRetention.Limits),
        JetStreamInputsReader.Duration(i.MaxAge) ?? TimeSpan.Zero,
        i.Replicas ?? 1,
        i.MaxBytes ?? -1,
        JetStreamInputsReader.Nats<StreamDiscard, StreamConfigDiscard>(i.Discard ?? StreamDiscard.Old),
        JetStreamInputsReader.Duration(i.DuplicateWindow),
        (i.Sources ?? []).Select(s => new SourceSpec(s.Name, string.IsNullOrEmpty(s.Domain) ? null : s.Domain, string.IsNullOrEmpty(s.FilterSubject) ? null : s.FilterSubject)).ToList());

    public StreamConfig ToConfig() => new()
    {
        Name = Name,
        Subjects = Subjects.Count == 0 ? null : Subjects.ToList(),
        Storage = Storage,
        Retention = Retention,
        MaxAge = MaxAge,
        NumReplicas = (int)Replicas,
        MaxBytes = MaxBytes,
        Discard = Discard,
        DuplicateWindow = DuplicateWindow ?? TimeSpan.Zero, // zero: the server's default (2m, or maxAge when shorter)
        Sources = Sources.Count == 0
            ? null
            : Sources.Select(s => new StreamSource { Name = s.Name, Domain = s.Domain, FilterSubject = s.FilterSubject }).ToList(),
    };

    public static StreamSpec FromLive(StreamConfig config) => new(
        config.Name ?? string.Empty,
        config.Subjects?.ToList() ?? [],
        config.Storage,
        config.Retention,
        config.MaxAge,
        config.NumReplicas,
        config.MaxBytes,
        config.Discard,
        config.DuplicateWindow,
        config.Sources?.Select(FromLive).ToList() ?? []);

    // The server keeps a source's domain only as the API prefix it stands for: "$JS.<domain>.API".
    private static SourceSpec FromLive(StreamSource source) => new(
        source.Name,
        source.Domain ?? (source.External?.Api is { } api && DomainApi().Match(api) is { Success: true } m ? m.Groups[1].Value : null),
        string.IsNullOrEmpty(source.FilterSubject) ? null : source.FilterSubject);

    /// <summary>The keys in which this stream does not match <paramref name="wanted"/> (an unset duplicateWindow matches any).</summary>
    public IReadOnlyList<string> ChangedKeys(StreamSpec wanted)
    {
        var changed = new List<string>();
        if (Name != wanted.Name) changed.Add(NameKey);
        if (!Subjects.ToHashSet().SetEquals(wanted.Subjects)) changed.Add(SubjectsKey);
        if (Storage != wanted.Storage) changed.Add(StorageKey);
        if (Retention != wanted.Retention) changed.Add(RetentionKey);
        if (MaxAge != wanted.MaxAge) changed.Add(MaxAgeKey);
        if (Replicas != wanted.Replicas) changed.Add(ReplicasKey);
        if (MaxBytes != wanted.MaxBytes) changed.Add(MaxBytesKey);
        if (Discard != wanted.Discard) changed.Add(DiscardKey);
        if (wanted.DuplicateWindow is { } window && window != DuplicateWindow) changed.Add(DuplicateWindowKey);
        if (!Sources.ToHashSet().SetEquals(wanted.Sources)) changed.Add(SourcesKey);
        return changed;
    }

    /// <summary>This (live) stream as inputs, in the spelling of <paramref name="recorded"/> wherever they agree.</summary>
    public JsonObject ToLiveInputs(JsonObject recorded, StreamSpec recordedSpec)
    {
        var drifted = ChangedKeys(recordedSpec);
        var live = new JsonObject();
        foreach (var key in JetStreamTarget.Keys) LiveInputs.Put(live, recorded, key, [], () => null);
        LiveInputs.Put(live, recorded, NameKey, drifted, () => Name);
        LiveInputs.Put(live, recorded, SubjectsKey, drifted, () => new JsonArray(Subjects.Select(s => JsonValue.Create(s)).ToArray()));
        LiveInputs.Put(live, recorded, StorageKey, drifted, () => JetStreamInputsReader.NameOf<StreamStorage, StreamConfigStorage>(Storage));
        LiveInputs.Put(live, recorded, RetentionKey, drifted, () => JetStreamInputsReader.NameOf<StreamRetention, StreamConfigRetention>(Retention));
        LiveInputs.Put(live, recorded, MaxAgeKey, drifted, () => new Platform.Duration(MaxAge).ToString());
        LiveInputs.Put(live, recorded, ReplicasKey, drifted, () => Replicas);
        LiveInputs.Put(live, recorded, MaxBytesKey, drifted, () => MaxBytes);
        LiveInputs.Put(live, recorded, DiscardKey, drifted, () => JetStreamInputsReader.NameOf<StreamDiscard, StreamConfigDiscard>(Discard));
        LiveInputs.Put(live, recorded, DuplicateWindowKey, drifted, () => DuplicateWindow is { } w ? new Platform.Duration(w).ToString() : null);
        LiveInputs.Put(live, recorded, SourcesKey, drifted, () => new JsonArray(Sources.Select(s => (JsonNode)s.ToJson()).ToArray()));
        return live;
    }

    [GeneratedRegex(@"^\$JS\.(.+)\.API$")]
    private static partial Regex DomainApi();
}
