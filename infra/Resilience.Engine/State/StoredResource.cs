using System.Text.Json.Nodes;
using Resilience.Engine.Providers;
using Resilience.Engine.Secrets;
using Resilience.Model;

namespace Resilience.Engine.State;

/// <summary>One resource as the checkpoint records it. Inputs and outputs hold secrets only in stored form.</summary>
public sealed record StoredResource
{
    public required string Urn { get; init; }
    public required string Type { get; init; }
    public required string Name { get; init; }
    public required JsonObject Inputs { get; init; }
    public JsonObject Outputs { get; init; } = new();
    public IReadOnlyList<string> DependsOn { get; init; } = [];
    public ResourceOptions Options { get; init; } = ResourceOptions.Default;

    public string Family => Urns.FamilyOf(Type);

    public static StoredResource From(Resource desired, JsonObject outputs, SecretCodec codec) => new()
    {
        Urn = desired.Urn,
        Type = desired.Type,
        Name = desired.Name,
        Inputs = codec.Encode(desired.Inputs),
        Outputs = codec.Encode(outputs),
        DependsOn = [.. desired.DependsOn],
        Options = desired.Options,
    };

    /// <summary>What a provider sees: secrets decrypted, or restored from <paramref name="desiredInputs"/> by fingerprint.</summary>
    public ResourceState ToState(SecretCodec codec, JsonObject? desiredInputs = null) => new()
    {
        Urn = Urn,
        Type = Type,
        Name = Name,
        Inputs = codec.Decode(Inputs, desiredInputs),
        Outputs = codec.Decode(Outputs),
        DependsOn = DependsOn,
        Options = Options,
    };

    /// <summary>The same instance (same identity outputs) as another record of this URN.</summary>
    public bool SameInstanceAs(StoredResource other) =>
        Urn == other.Urn && JsonNode.DeepEquals(Outputs, other.Outputs);
}
