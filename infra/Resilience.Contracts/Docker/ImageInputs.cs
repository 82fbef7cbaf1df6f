using System.Text.Json.Serialization;

namespace Resilience.Contracts.Docker;

public enum ImageSource
{
    /// <summary>Built on this host from host files (imported like `docker import`).</summary>
    [JsonStringEnumMemberName("local")] Local,

    /// <summary>A pinned image pulled from a registry.</summary>
    [JsonStringEnumMemberName("registry")] Registry,
}

/// <summary>The inputs of a "docker:image". Images never change in place: any change replaces them.</summary>
[ResourceType("docker:image")]
public sealed record ImageInputs : IValidatedInputs
{
    [JsonPropertyName("name"), ReplaceOnChange]
    public required string Name { get; init; }

    /// <summary>Unset means local.</summary>
    [JsonPropertyName("source"), ReplaceOnChange]
    public ImageSource? Source { get; init; }

    /// <summary>What a local image holds; only with source local.</summary>
    [JsonPropertyName("build"), ReplaceOnChange]
    public ImageBuild? Build { get; init; }

    [JsonPropertyName("labels"), ReplaceOnChange]
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    [JsonIgnore]
    public ImageSource SourceOrDefault => Source ?? ImageSource.Local;

    public void Validate(InputFailures failures)
    {
        if (Name is { Length: > 0 } && !ImageReference.Parse(Name).IsPinned) failures.Add(nameof(Name), $"'{Name}' must carry a version tag other than 'latest'");
        if (SourceOrDefault == ImageSource.Local && Build is null) failures.Add(nameof(Build), "is required");
        if (Source == ImageSource.Registry && Build is not null) failures.Add(nameof(Build), "is only allowed with source 'local'");
    }
}

/// <summary>The root file system of a local image and how it starts.</summary>
public sealed record ImageBuild : IValidatedInputs
{
    [JsonPropertyName("files")]
    public IReadOnlyList<ImageFile>? Files { get; init; }

    [JsonPropertyName("dirs")]
    public IReadOnlyList<ImageDirectory>? Dirs { get; init; }

    [JsonPropertyName("entrypoint")]
    public required IReadOnlyList<string> Entrypoint { get; init; }

    [JsonPropertyName("user")]
    public string? User { get; init; }

    [JsonPropertyName("cmd")]
    public IReadOnlyList<string>? Cmd { get; init; }

    public void Validate(InputFailures failures)
    {
        if (Files is null or { Count: 0 }) failures.Add(nameof(Files), "must list at least one file");
        if (Entrypoint is { Count: 0 }) failures.Add(nameof(Entrypoint), "must not be empty");
    }
}

/// <summary>A host file or folder copied into the image (symlinks followed).</summary>
public sealed record ImageFile : IValidatedInputs
{
    [JsonPropertyName("from")]
    public required string From { get; init; }

    [JsonPropertyName("to")]
    public required string To { get; init; }

    /// <summary>Paths relative to From that a folder copy skips (e.g. data a UI never loads).</summary>
    [JsonPropertyName("exclude")]
    public IReadOnlyList<string>? Exclude { get; init; }

    /// <summary>Made during the apply by a resource the image depends on (a publish): it need not exist before.</summary>
    [JsonPropertyName("generated")]
    public bool? Generated { get; init; }

    public void Validate(InputFailures failures)
    {
        if (From is { Length: > 0 } && !Path.IsPathFullyQualified(From)) failures.Add(nameof(From), $"'{From}' must be an absolute path");
        if (To is { Length: > 0 } && !To.StartsWith('/')) failures.Add(nameof(To), $"'{To}' must be an absolute path");
    }
}

/// <summary>A folder made in the image, with its mode (octal text such as "1777").</summary>
public sealed record ImageDirectory : IValidatedInputs
{
    [JsonPropertyName("path")]
    public required string Path { get; init; }

    [JsonPropertyName("mode")]
    public string? Mode { get; init; }

    [JsonIgnore]
    public UnixFileMode ModeOrDefault => Octal.TryParse(Mode ?? "755", out var mode) ? mode : Octal.DirectoryDefault;

    public void Validate(InputFailures failures)
    {
        if (Path is { Length: > 0 } && !Path.StartsWith('/')) failures.Add(nameof(Path), $"'{Path}' must be an absolute path");
        if (Mode is not null && !Octal.TryParse(Mode, out _)) failures.Add(nameof(Mode), $"'{Mode}' must be an octal mode such as 755 or 1777");
    }
}
