using System.ComponentModel;
using System.Text.Json.Serialization;

namespace Resilience.Contracts.Docker;

/// <summary>The inputs of a "docker:network": any change replaces it.</summary>
[ResourceType("docker:network")]
public sealed record NetworkInputs
{
    [JsonPropertyName("name"), ReplaceOnChange]
    public required string Name { get; init; }

    [JsonPropertyName("driver"), ReplaceOnChange, DefaultValue("bridge")]
    public string? Driver { get; init; }

    [JsonPropertyName("labels"), ReplaceOnChange]
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}
