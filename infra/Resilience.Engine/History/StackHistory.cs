using System.Text.Json.Nodes;
using Resilience.Engine.Secrets;
using Resilience.Engine.State;
using Resilience.Model;
using Resilience.Platform;

namespace Resilience.Engine.History;

/// <summary>The versions of one stack, one JSON file each (<c>history/&lt;n&gt;.json</c>).</summary>
public sealed class StackHistory(string directory, SecretCodec codec)
{
    private readonly GraphCodec _graphs = new(codec);

    /// <summary>All versions, oldest first, without their graphs and config. A number being claimed (still empty) is left out.</summary>
    public IReadOnlyList<StackVersion> List() =>
        Numbers().Where(IsWritten).Select(n => Load(n).WithoutGraph()).ToList();

    /// <summary>The version, or null when there is none — or only an empty claim left by a run killed before it wrote.</summary>
    public StackVersion? Find(int version) => IsWritten(version) ? Load(version) : null;

    public StackVersion Get(int version) =>
        Find(version) ?? throw new ArgumentException($"stack history has no version {version}", nameof(version));

    /// <summary>The desired graph of a version, secrets restored: what <c>rollback --to N</c> applies.</summary>
    public ResourceGraph LoadGraph(int version) => _graphs.FromJson(Get(version).Graph, $"version {version}");

    /// <summary>
    /// The version whose graph is deployed: the last run that succeeded. Null when none did, or when the last that
    /// did was a destroy.
    /// </summary>
    public StackVersion? LastApplied()
    {
        foreach (var number in Numbers().Reverse().Where(IsWritten))
        {
            var version = Load(number);
            if (version.Result != VersionResult.Succeeded) continue;
            return version.Command == "destroy" ? null : version;
        }
        return null;
    }

    /// <summary>
    /// Every resource a version since the stack's last successful destroy declared, each as its newest version declared
    /// it, and the newest version read: what may exist now (a later up may have deleted some, a failed one made some).
    /// </summary>
    public (IReadOnlyList<Resource> Resources, int? Newest) DeclaredSinceLastDestroy()
    {
        var resources = new Dictionary<string, Resource>(StringComparer.Ordinal);
        int? newest = null;
        foreach (var number in Numbers().Reverse().Where(IsWritten))
        {
            var version = Load(number);
            if (version.Command == "destroy" && version.Result == VersionResult.Succeeded) break;
            newest ??= number;
            foreach (var resource in _graphs.FromJson(version.Graph, $"version {number}").Order) resources.TryAdd(resource.Urn, resource);
        }
        return (resources.Values.ToList(), newest);
    }

    /// <summary>The outputs of a version's graph; secret ones decrypted only when <paramref name="revealSecrets"/>, else masked.</summary>
    /// <exception cref="InvalidOperationException">A secret to reveal was stored as a fingerprint, which cannot be reversed.</exception>
    public IReadOnlyDictionary<string, StackOutput> Outputs(StackVersion version, bool revealSecrets) =>
        _graphs.Outputs(version.Graph, revealSecrets);

    /// <summary>
    /// The plain (non-secret) outputs of the graph the stack last applied successfully; empty when it has none,
    /// or when its last finished run destroyed it.
    /// </summary>
    public IReadOnlyDictionary<string, string> LastAppliedOutputs() => LastApplied() is { } version
        ? Outputs(version, revealSecrets: false).Where(o => !o.Value.Secret).ToDictionary(o => o.Key, o => o.Value.Value, StringComparer.Ordinal)
        : new Dictionary<string, string>();

    /// <summary>Records a run as started, under the next free number (creation is exclusive, so numbers never collide).</summary>
    public StackVersion Begin(string command, ResourceGraph graph, JsonObject? config, string? gitCommit, string? rolledBackTo = null)
    {
        Directory.CreateDirectory(directory);
        for (var number = Numbers().DefaultIfEmpty(0).Max() + 1; ; number++)
        {
            var version = new StackVersion
            {
                Version = number,
                Command = command,
                Started = DateTimeOffset.UtcNow,
                GitCommit = gitCommit,
                RolledBackTo = rolledBackTo,
                Config = config is null ? null : codec.Encode(config),
                Graph = _graphs.ToJson(graph),
            };
            try
            {
                using (var claim = new FileStream(PathOf(number), FileMode.CreateNew, FileAccess.Write, FileShare.None)) { }
            }
            catch (IOException) when (File.Exists(PathOf(number)))
            {
                continue;
            }
            Save(version);
            return version;
        }
    }

    public StackVersion Finish(StackVersion version, VersionResult result, Dictionary<string, int> summary)
    {
        var finished = version with { Finished = DateTimeOffset.UtcNow, Result = result, Summary = summary };
        Save(finished);
        return finished;
    }

    /// <summary>Appends a note to a written version (see <see cref="StackVersion.Annotations"/>) and returns the version as saved.</summary>
    public StackVersion Annotate(int version, JsonObject annotation)
    {
        var current = Get(version);
        var annotated = current with { Annotations = [.. current.Annotations, annotation] };
        Save(annotated);
        return annotated;
    }

    private void Save(StackVersion version) => AtomicFile.Write(PathOf(version.Version), StateJson.Serialize(version));

    private StackVersion Load(int version)
    {
        var path = PathOf(version);
        return StateJson.Read<StackVersion>(path,
            $"A history version is the record of a past run, not the stack's state: move it aside (`mv {path} {path}.damaged`) and go on");
    }

    private bool IsWritten(int version) => new FileInfo(PathOf(version)) is { Exists: true, Length: > 0 };

    private string PathOf(int version) => Path.Combine(directory, $"{version}.json");

    private IEnumerable<int> Numbers() => !Directory.Exists(directory)
        ? []
        : Directory.EnumerateFiles(directory, "*.json")
            .Select(f => int.TryParse(Path.GetFileNameWithoutExtension(f), out var n) ? n : 0)
            .Where(n => n > 0)
            .Order();
}
