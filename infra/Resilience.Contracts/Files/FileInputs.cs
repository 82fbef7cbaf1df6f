using System.Globalization;
using System.Text.Json.Serialization;

namespace Resilience.Contracts.Files;

/// <summary>The inputs of a "file:file": a host file written atomically. A new path is a new file; the rest changes in place.</summary>
[ResourceType("file:file")]
public sealed record FileInputs : IValidatedInputs
{
    [JsonPropertyName("path"), ReplaceOnChange]
    public required string Path { get; init; }

    /// <summary>A secret content is written 0600 unless a stricter mode is given, and never stored or shown in clear.</summary>
    [JsonPropertyName("content")]
    public required SecretText Content { get; init; }

    /// <summary>Octal permission bits ("0644"); unset: 0644, or 0600 for a secret.</summary>
    [JsonPropertyName("mode")]
    public string? Mode { get; init; }

    /// <summary>Numeric "uid:gid"; unset: whoever writes it.</summary>
    [JsonPropertyName("owner")]
    public string? Owner { get; init; }

    /// <summary>The checker the service that reads this file would run (<see cref="FileValidators"/>): Check runs it on the
    /// content, so a file the service would refuse is never written. Unset: no check beyond the inputs.</summary>
    [JsonPropertyName("validate")]
    public string? Validator { get; init; }

    /// <summary>Where the content came from (a template, project-relative), named when the validator refuses it.</summary>
    [JsonPropertyName("template")]
    public string? Template { get; init; }

    /// <summary>
    /// What to do with a file already there that the tool did not write (a machine's own agent config): unset, it is
    /// overwritten; <see cref="FileTakeover.Keep"/> keeps it (in state, as a secret) and puts it back on delete;
    /// <see cref="FileTakeover.Restore"/> also writes it back instead of the content while it is kept (Phase 1).
    /// </summary>
    [JsonPropertyName("takeover")]
    public string? Takeover { get; init; }

    public void Validate(InputFailures failures)
    {
        if (Takeover is { } takeover && takeover is not (FileTakeover.Keep or FileTakeover.Restore))
            failures.Add(nameof(Takeover), $"'{takeover}' is not a takeover; one of: {FileTakeover.Keep}, {FileTakeover.Restore}");
        if (Path is { } path && (!System.IO.Path.IsPathFullyQualified(path) || path.EndsWith('/')))
            failures.Add(nameof(Path), $"'{path}' is not an absolute file path");
        if (Owner is { } owner && !IsNumericOwner(owner)) failures.Add(nameof(Owner), $"'{owner}' is not a numeric \"uid:gid\"");
        if (Validator is { } validator && !FileValidators.All.Contains(validator))
            failures.Add(nameof(Validator), $"'{validator}' is not a validator; one of: {string.Join(", ", FileValidators.All)}");
    }

    private static bool IsNumericOwner(string text) =>
        text.Split(':') is [var uid, var gid]
        && uint.TryParse(uid, NumberStyles.None, CultureInfo.InvariantCulture, out _)
        && uint.TryParse(gid, NumberStyles.None, CultureInfo.InvariantCulture, out _);
}
