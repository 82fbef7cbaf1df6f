using System.Text.Json.Serialization;

namespace Resilience.Contracts.Docker;

/// <summary>The inputs of a "docker:volume": a replace loses its data, and says so.</summary>
[ResourceType("docker:volume"), HoldsData]
public sealed record VolumeInputs
{
    [JsonPropertyName("name"), ReplaceOnChange]
    public required string Name { get; init; }

    [JsonPropertyName("labels"), ReplaceOnChange]
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}
