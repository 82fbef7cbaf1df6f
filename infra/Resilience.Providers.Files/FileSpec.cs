using System.Text.Json.Nodes;
using Resilience.Model;

namespace Resilience.Providers.Files;

/// <summary>The inputs of a "file:file" resource, validated.</summary>
public sealed record FileSpec(string Path, string Content, bool ContentIsSecret, UnixFileMode Mode, FileOwner? Owner)
{
    public const string PathKey = "path";
    public const string ContentKey = "content";
    public const string ModeKey = "mode";
    public const string OwnerKey = "owner";

    public const UnixFileMode DefaultMode = (UnixFileMode)0b110_100_100;       // 0644
    public const UnixFileMode DefaultSecretMode = (UnixFileMode)0b110_000_000; // 0600

    private static readonly string[] KnownKeys = [PathKey, ContentKey, ModeKey, OwnerKey];

    /// <summary>Every problem with the inputs; empty when they are valid.</summary>
    public static IReadOnlyList<string> Problems(JsonObject inputs)
    {
        var problems = new List<string>();
        TryParse(inputs, problems);
        return problems;
    }

    /// <exception cref="ArgumentException">The inputs are invalid (the message lists why).</exception>
    public static FileSpec Parse(JsonObject inputs)
    {
        var problems = new List<string>();
        return TryParse(inputs, problems) ?? throw new ArgumentException(string.Join("; ", problems));
    }

    private static FileSpec? TryParse(JsonObject inputs, List<string> problems)
    {
        foreach (var key in inputs.Select(p => p.Key).Where(k => !KnownKeys.Contains(k)))
        {
            problems.Add($"{key}: unknown input (known: {string.Join(", ", KnownKeys)})");
        }

        var path = StringOf(inputs[PathKey]);
        if (path is null) problems.Add($"{PathKey}: required, an absolute path");
        else if (!System.IO.Path.IsPathFullyQualified(path) || path.EndsWith('/')) problems.Add($"{PathKey}: '{path}' is not an absolute file path");

        var contentNode = inputs[ContentKey];
        var isSecret = Secret.IsSecret(contentNode);
        var content = isSecret ? StringOf(contentNode![Secret.Key]) : StringOf(contentNode);
        if (content is null) problems.Add($"{ContentKey}: required, a string or a secret");

        var mode = isSecret ? DefaultSecretMode : DefaultMode;
        if (inputs.ContainsKey(ModeKey))
        {
            var text = StringOf(inputs[ModeKey]);
            if (text is null || !OctalMode.TryParse(text, out mode))
            {
                problems.Add($"{ModeKey}: '{inputs[ModeKey]?.ToJsonString()}' is not an octal mode such as \"0644\"");
            }
            else if (isSecret && (mode & OctalMode.GroupOrOtherAccess) != 0)
            {
                problems.Add($"{ModeKey}: {text} lets group or others read a secret; use 0600 or stricter");
            }
        }

        FileOwner? owner = null;
        if (inputs[OwnerKey] is { } ownerNode)
        {
            if (StringOf(ownerNode) is { } text && FileOwner.TryParse(text, out var parsed)) owner = parsed;
            else problems.Add($"{OwnerKey}: '{ownerNode.ToJsonString()}' is not a numeric \"uid:gid\"");
        }

        return problems.Count == 0 ? new FileSpec(path!, content!, isSecret, mode, owner) : null;
    }

    private static string? StringOf(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
