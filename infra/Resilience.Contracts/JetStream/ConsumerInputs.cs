using System.ComponentModel;
using System.Text.Json.Serialization;

namespace Resilience.Contracts.JetStream;

public enum ConsumerAckPolicy
{
    [JsonStringEnumMemberName("explicit")] Explicit,
    [JsonStringEnumMemberName("none")] None,
    [JsonStringEnumMemberName("all")] All,
}

public enum ConsumerDeliverPolicy
{
    [JsonStringEnumMemberName("all")] All,
    [JsonStringEnumMemberName("new")] New,
    [JsonStringEnumMemberName("last")] Last,
}

/// <summary>
/// The inputs of a "jetstream:consumer": a durable pull consumer as nats-server 2.9 keeps it. A new deliver or ack
/// policy is refused in place (err_code 10012), and a consumer cannot move to another stream or be renamed.
/// </summary>
[ResourceType("jetstream:consumer")]
public sealed record ConsumerInputs : JetStreamInputs
{
    [JsonPropertyName("stream"), ReplaceOnChange]
    public required string Stream { get; init; }

    [JsonPropertyName("name"), ReplaceOnChange]
    public required string Name { get; init; }

    /// <summary>Singular on purpose: nats-server 2.9 drops FilterSubjects and the consumer would see every subject.</summary>
    [JsonPropertyName("filterSubject")]
    public string? FilterSubject { get; init; }

    [JsonPropertyName("ackPolicy"), ReplaceOnChange, DefaultValue(ConsumerAckPolicy.Explicit)]
    public ConsumerAckPolicy? AckPolicy { get; init; }

    [JsonPropertyName("deliverPolicy"), ReplaceOnChange, DefaultValue(ConsumerDeliverPolicy.All)]
    public ConsumerDeliverPolicy? DeliverPolicy { get; init; }

    /// <summary>A Go duration; unset: 30s.</summary>
    [JsonPropertyName("ackWait")]
    public string? AckWait { get; init; }

    /// <summary>-1: unlimited.</summary>
    [JsonPropertyName("maxDeliver"), DefaultValue(-1L)]
    public long? MaxDeliver { get; init; }

    public override void Validate(InputFailures failures)
    {
        base.Validate(failures);
        if (Name is { Length: > 0 } && !IsValidName(Name)) failures.Add(nameof(Name), $"'{Name}' is not a consumer name (no spaces, dots, '*', '>', '/' or '\\')");
        if (MaxDeliver is 0 or < -1) failures.Add(nameof(MaxDeliver), $"{MaxDeliver} is neither -1 (unlimited) nor a positive count");
    }
}
