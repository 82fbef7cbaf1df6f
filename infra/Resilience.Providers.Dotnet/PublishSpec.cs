using System.Text.Json;
using System.Text.Json.Nodes;

namespace Resilience.Providers.Dotnet;

/// <summary>
/// The inputs of a "dotnet:publish" resource: a self-contained single-file publish of one project into a folder.
/// </summary>
/// <param name="Project">Absolute path of the project folder (or its .csproj).</param>
/// <param name="Output">Absolute folder the publish writes; the provider owns it.</param>
/// <param name="Binary">File name the publish must produce in <paramref name="Output"/>.</param>
/// <param name="SourceHash">Hash of the project's sources, computed by the program from the files it read.</param>
public sealed record PublishSpec(string Project, string Output, string Binary, string Runtime, string Configuration, string SourceHash)
{
    public const string ProjectKey = "project";
    public const string OutputKey = "output";
    public const string BinaryKey = "binary";
    public const string RuntimeKey = "runtime";
    public const string ConfigurationKey = "configuration";
    public const string SourceHashKey = "sourceHash";

    /// <summary>Keys whose change means a different artefact in a different place: a new one, then the old one goes.</summary>
    public static readonly string[] ReplaceKeys = [ProjectKey, OutputKey, BinaryKey, RuntimeKey];

    public string BinaryPath => Path.Combine(Output, Binary);

    /// <summary>Written after a successful publish: which sources the binary beside it was built from.</summary>
    public string StampPath => Path.Combine(Output, ".source-hash");

    public static (PublishSpec? Spec, IReadOnlyList<string> Problems) Parse(string urn, JsonObject inputs)
    {
        var problems = new List<string>();
        string? Text(string key, bool absolutePath = false)
        {
            if (inputs[key] is not JsonValue v || v.GetValueKind() != JsonValueKind.String || v.GetValue<string>().Length == 0)
            {
                problems.Add($"{urn}: {key} is required and must be a non-empty string");
                return null;
            }
            var text = v.GetValue<string>();
            if (absolutePath && !System.IO.Path.IsPathFullyQualified(text)) problems.Add($"{urn}: {key} '{text}' must be an absolute path");
            return text;
        }
        var project = Text(ProjectKey, absolutePath: true);
        var output = Text(OutputKey, absolutePath: true);
        var binary = Text(BinaryKey);
        var runtime = Text(RuntimeKey);
        var configuration = Text(ConfigurationKey);
        var sourceHash = Text(SourceHashKey);
        if (binary is not null && binary.Contains('/')) problems.Add($"{urn}: {BinaryKey} '{binary}' must be a file name, not a path");
        var known = new HashSet<string>([ProjectKey, OutputKey, BinaryKey, RuntimeKey, ConfigurationKey, SourceHashKey], StringComparer.Ordinal);
        problems.AddRange(inputs.Select(p => p.Key).Where(k => !known.Contains(k)).Select(k => $"{urn}: {k} is not an input of dotnet:publish"));
        return problems.Count == 0
            ? (new PublishSpec(project!, output!, binary!, runtime!, configuration!, sourceHash!), [])
            : (null, problems);
    }
}
