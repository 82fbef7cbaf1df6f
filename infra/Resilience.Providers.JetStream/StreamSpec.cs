using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NATS.Client.JetStream.Models;

namespace Resilience.Providers.JetStream;

/// <summary>A source of a stream: another stream, possibly in another JetStream domain.</summary>
public sealed record SourceSpec(string Name, string? Domain, string? FilterSubject)
{
    public const string NameKey = "name";
    public const string DomainKey = "domain";
    public const string FilterSubjectKey = "filterSubject";

    internal static readonly string[] Keys = [NameKey, DomainKey, FilterSubjectKey];

    public JsonObject ToJson() => new() { [NameKey] = Name, [DomainKey] = Domain, [FilterSubjectKey] = FilterSubject };
}

/// <summary>The inputs of a "jetstream:stream" resource, limited to what nats-server 2.9 keeps.</summary>
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
    public const string NameKey = "name";
    public const string SubjectsKey = "subjects";
    public const string StorageKey = "storage";
    public const string RetentionKey = "retention";
    public const string MaxAgeKey = "maxAge";
    public const string ReplicasKey = "replicas";
    public const string MaxBytesKey = "maxBytes";
    public const string DiscardKey = "discard";
    public const string DuplicateWindowKey = "duplicateWindow";
    public const string SourcesKey = "sources";

    /// <summary>
    /// Changes nats-server 2.9 refuses to make in place (err_code 10052): only a new stream has them. And replicas:
    /// in these stacks they change only with the topology, and a server that restarts into a cluster does not bring its
    /// single-server streams along (the cluster answers "stream not found"; measured in review), so the stream is new
    /// and its messages are gone — the plan must say "replace, deletes data", not "update".
    /// </summary>
    public static readonly IReadOnlyList<string> ReplaceKeys = [NameKey, StorageKey, RetentionKey, ReplicasKey];

    private static readonly string[] ObjectKeys =
        [NameKey, SubjectsKey, StorageKey, RetentionKey, MaxAgeKey, ReplicasKey, MaxBytesKey, DiscardKey, DuplicateWindowKey, SourcesKey];

    public static readonly IReadOnlyList<string> Keys = [.. JetStreamTarget.Keys, .. ObjectKeys];

    private static readonly Dictionary<string, StreamConfigStorage> Storages = new()
    {
        ["file"] = StreamConfigStorage.File,
        ["memory"] = StreamConfigStorage.Memory,
    };

    private static readonly Dictionary<string, StreamConfigRetention> Retentions = new()
    {
        ["limits"] = StreamConfigRetention.Limits,
        ["interest"] = StreamConfigRetention.Interest,
        ["workqueue"] = StreamConfigRetention.Workqueue,
    };

    private static readonly Dictionary<string, StreamConfigDiscard> Discards = new()
    {
        ["old"] = StreamConfigDiscard.Old,
        ["new"] = StreamConfigDiscard.New,
    };

    internal static StreamSpec Read(InputReader inputs)
    {
        inputs.RejectUnknownKeys(Keys);
        var name = inputs.RequiredString(NameKey);
        if (name.Length > 0 && !IsValidName(name)) inputs.Problem(NameKey, $"'{name}' is not a stream name (no spaces, dots, '*', '>', '/' or '\\')");
        var subjects = inputs.StringList(SubjectsKey);
        var sources = ReadSources(inputs);
        if (subjects.Count == 0 && sources.Count == 0)
        {
            // The server would take the stream's name as its subject, and every refresh would then show drift.
            inputs.Problem(SubjectsKey, "a stream needs subjects, or sources when it only collects other streams");
        }
        var replicas = inputs.Integer(ReplicasKey, 1);
        if (replicas is < 1 or > 5) inputs.Problem(ReplicasKey, $"{replicas} is not between 1 and 5");
        var maxBytes = inputs.Integer(MaxBytesKey, -1);
        if (maxBytes is < -1 or 0) inputs.Problem(MaxBytesKey, $"{maxBytes} is neither -1 (unlimited) nor a positive size");
        return new StreamSpec(
            name,
            subjects,
            inputs.Choice(StorageKey, Storages, StreamConfigStorage.File),
            inputs.Choice(RetentionKey, Retentions, StreamConfigRetention.Limits),
            inputs.Duration(MaxAgeKey, TimeSpan.Zero),
            replicas,
            maxBytes,
            inputs.Choice(DiscardKey, Discards, StreamConfigDiscard.Old),
            inputs.OptionalDuration(DuplicateWindowKey),
            sources);
    }

    private static List<SourceSpec> ReadSources(InputReader inputs)
    {
        var sources = new List<SourceSpec>();
        var list = inputs.ObjectList(SourcesKey);
        for (var i = 0; i < list.Count; i++)
        {
            var source = inputs.Nested(list[i], $"{SourcesKey}[{i}]");
            source.RejectUnknownKeys(SourceSpec.Keys);
            sources.Add(new SourceSpec(
                source.RequiredString(SourceSpec.NameKey),
                source.OptionalString(SourceSpec.DomainKey),
                source.OptionalString(SourceSpec.FilterSubjectKey)));
            inputs.Absorb(source);
        }
        return sources;
    }

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
        LiveInputs.Put(live, recorded, StorageKey, drifted, () => NameOf(Storages, Storage));
        LiveInputs.Put(live, recorded, RetentionKey, drifted, () => NameOf(Retentions, Retention));
        LiveInputs.Put(live, recorded, MaxAgeKey, drifted, () => new Platform.Duration(MaxAge).ToString());
        LiveInputs.Put(live, recorded, ReplicasKey, drifted, () => Replicas);
        LiveInputs.Put(live, recorded, MaxBytesKey, drifted, () => MaxBytes);
        LiveInputs.Put(live, recorded, DiscardKey, drifted, () => NameOf(Discards, Discard));
        LiveInputs.Put(live, recorded, DuplicateWindowKey, drifted, () => DuplicateWindow is { } w ? new Platform.Duration(w).ToString() : null);
        LiveInputs.Put(live, recorded, SourcesKey, drifted, () => new JsonArray(Sources.Select(s => (JsonNode)s.ToJson()).ToArray()));
        return live;
    }

    private static string NameOf<T>(Dictionary<string, T> names, T value) where T : struct, Enum =>
        names.First(p => p.Value.Equals(value)).Key;

    private static bool IsValidName(string name) => !name.Any(c => c is '.' or '*' or '>' or '/' or '\\' || char.IsWhiteSpace(c));

    [GeneratedRegex(@"^\$JS\.(.+)\.API$")]
    private static partial Regex DomainApi();
}
