using System.ComponentModel;
using System.Text.Json.Serialization;

namespace Resilience.Contracts.JetStream;

public enum StreamStorage
{
    [JsonStringEnumMemberName("file")] File,
    [JsonStringEnumMemberName("memory")] Memory,
}

public enum StreamRetention
{
    [JsonStringEnumMemberName("limits")] Limits,
    [JsonStringEnumMemberName("interest")] Interest,
    [JsonStringEnumMemberName("workqueue")] Workqueue,
}

public enum StreamDiscard
{
    [JsonStringEnumMemberName("old")] Old,
    [JsonStringEnumMemberName("new")] New,
}

/// <summary>
/// The inputs of a "jetstream:stream", limited to what nats-server 2.9 keeps. Name, storage and retention: the server
/// refuses to change them in place (err_code 10052). Replicas: in these stacks they change only with the topology, and a
/// server that restarts into a cluster does not bring its single-server streams along (the cluster answers "stream not
/// found"; measured in review), so the stream is new and its messages are gone: a replace that deletes data, not an update.
/// </summary>
[ResourceType("jetstream:stream"), HoldsData]
public sealed record StreamInputs : JetStreamInputs
{
    [JsonPropertyName("name"), ReplaceOnChange]
    public required string Name { get; init; }

    [JsonPropertyName("subjects")]
    public IReadOnlyList<string>? Subjects { get; init; }

    [JsonPropertyName("storage"), ReplaceOnChange, DefaultValue(StreamStorage.File)]
    public StreamStorage? Storage { get; init; }

    [JsonPropertyName("retention"), ReplaceOnChange, DefaultValue(StreamRetention.Limits)]
    public StreamRetention? Retention { get; init; }

    /// <summary>A Go duration ("24h"); unset: unlimited.</summary>
    [JsonPropertyName("maxAge")]
    public string? MaxAge { get; init; }

    /// <summary>A replace trigger since the cluster topologies: streams deployed before (one replica) keep their trigger.</summary>
    [JsonPropertyName("replicas"), ReplaceOnChange(TriggerOmitsDefault = true), DefaultValue(1L)]
    public long? Replicas { get; init; }

    /// <summary>-1: unlimited.</summary>
    [JsonPropertyName("maxBytes"), DefaultValue(-1L)]
    public long? MaxBytes { get; init; }

    [JsonPropertyName("discard"), DefaultValue(StreamDiscard.Old)]
    public StreamDiscard? Discard { get; init; }

    /// <summary>A Go duration; unset: the server's default (2m, or maxAge when shorter).</summary>
    [JsonPropertyName("duplicateWindow")]
    public string? DuplicateWindow { get; init; }

    [JsonPropertyName("sources")]
    public IReadOnlyList<StreamSourceInputs>? Sources { get; init; }

    public override void Validate(InputFailures failures)
    {
        base.Validate(failures);
        if (Name is { Length: > 0 } && !IsValidName(Name)) failures.Add(nameof(Name), $"'{Name}' is not a stream name (no spaces, dots, '*', '>', '/' or '\\')");
        // The server would take the stream's name as its subject, and every refresh would then show drift.
        if (Subjects is null or { Count: 0 } && Sources is null or { Count: 0 })
            failures.Add(nameof(Subjects), "a stream needs subjects, or sources when it only collects other streams");
        if (Replicas is < 1 or > 5) failures.Add(nameof(Replicas), $"{Replicas} is not between 1 and 5");
        if (MaxBytes is < -1 or 0) failures.Add(nameof(MaxBytes), $"{MaxBytes} is neither -1 (unlimited) nor a positive size");
    }
}

/// <summary>A source of a stream: another stream, possibly in another JetStream domain.</summary>
public sealed record StreamSourceInputs
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("domain")]
    public string? Domain { get; init; }

    [JsonPropertyName("filterSubject")]
    public string? FilterSubject { get; init; }
}
