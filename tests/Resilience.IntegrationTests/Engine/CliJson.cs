namespace Resilience.IntegrationTests.Engine;

/// <summary>Reads what the CLI prints with --json.</summary>
internal static class CliJson
{
    private static readonly JsonSerializerOptions CaseInsensitive = new() { PropertyNameCaseInsensitive = true };

    public sealed record Version(int Number, string Command, string Result);

    private sealed record VersionLine(int Version, string Command, string Result);

    public static JsonObject Object(CliRunner.Result result) =>
        JsonNode.Parse(result.Stdout) as JsonObject ?? throw new InvalidDataException($"not a JSON object: {result}");

    /// <summary>preview --json: the kind of each step, by URN.</summary>
    public static IReadOnlyDictionary<string, string> StepKinds(CliRunner.Result preview) =>
        Items(Object(preview), "steps").ToDictionary(s => (string)s["urn"]!, s => (string)s["kind"]!);

    /// <summary>refresh --json: each resource's status (inSync, changed, gone) and changed paths, by URN.</summary>
    public static IReadOnlyDictionary<string, (string Status, string[] Paths)> Drift(CliRunner.Result refresh) =>
        Items(Object(refresh), "resources").ToDictionary(
            r => (string)r["urn"]!,
            r => ((string)r["status"]!, Items(r, "changes").Select(c => (string)c["path"]!).ToArray()));

    /// <summary>stack history --json, oldest first.</summary>
    public static IReadOnlyList<Version> History(CliRunner.Result history) =>
        (JsonSerializer.Deserialize<VersionLine[]>(history.Stdout, CaseInsensitive) ?? throw new InvalidDataException(history.ToString()))
        .Select(v => new Version(v.Version, v.Command, v.Result.ToLowerInvariant())).ToList();

    private static IEnumerable<JsonObject> Items(JsonObject json, string array) =>
        (json[array] as JsonArray ?? throw new InvalidDataException($"no '{array}' array in {json.ToJsonString()}")).Select(i => i!.AsObject());
}
