using System.Text.Json.Serialization;

namespace Resilience.Contracts.Dotnet;

/// <summary>
/// The inputs of a "dotnet:publish": a self-contained single-file publish of one project into a folder. A different
/// project, folder, binary or runtime is a different artefact in a different place: a new one, then the old one goes.
/// </summary>
[ResourceType("dotnet:publish")]
public sealed record PublishInputs : IValidatedInputs
{
    /// <summary>Absolute path of the project folder (or its .csproj).</summary>
    [JsonPropertyName("project"), ReplaceOnChange]
    public required string Project { get; init; }

    /// <summary>Absolute folder the publish writes; the provider owns it.</summary>
    [JsonPropertyName("output"), ReplaceOnChange]
    public required string Output { get; init; }

    /// <summary>File name the publish must produce in <see cref="Output"/>.</summary>
    [JsonPropertyName("binary"), ReplaceOnChange]
    public required string Binary { get; init; }

    [JsonPropertyName("runtime"), ReplaceOnChange]
    public required string Runtime { get; init; }

    [JsonPropertyName("configuration")]
    public required string Configuration { get; init; }

    /// <summary>Hash of the project's sources, computed by the program from the files it read.</summary>
    [JsonPropertyName("sourceHash")]
    public required string SourceHash { get; init; }

    [JsonIgnore]
    public string BinaryPath => System.IO.Path.Combine(Output, Binary);

    public void Validate(InputFailures failures)
    {
        if (Project is { Length: > 0 } && !System.IO.Path.IsPathFullyQualified(Project)) failures.Add(nameof(Project), $"'{Project}' must be an absolute path");
        if (Output is { Length: > 0 } && !System.IO.Path.IsPathFullyQualified(Output)) failures.Add(nameof(Output), $"'{Output}' must be an absolute path");
        if (Binary is { } binary && binary.Contains('/')) failures.Add(nameof(Binary), $"'{binary}' must be a file name, not a path");
    }
}
