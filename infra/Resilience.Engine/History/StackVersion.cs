using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Resilience.Engine.History;

[JsonConverter(typeof(JsonStringEnumConverter<VersionResult>))]
public enum VersionResult
{
    /// <summary>Started and not finished: the run is going on, or its process died.</summary>
    Running,
    Succeeded,
    Failed,
}

/// <summary>One recorded up/destroy/rollback of a stack.</summary>
public sealed record StackVersion
{
    public required int Version { get; init; }
    public required string Command { get; init; }
    public required DateTimeOffset Started { get; init; }
    public DateTimeOffset? Finished { get; init; }
    public VersionResult Result { get; init; } = VersionResult.Running;

    /// <summary>Steps that succeeded, per kind ("create": 3, …), plus "failed" and "skipped" when any.</summary>
    public Dictionary<string, int> Summary { get; init; } = [];

    public string? GitCommit { get; init; }

    /// <summary>For a rollback: what it restored, a version number ("3") or "phase1" (the configuration before week 1).</summary>
    public string? RolledBackTo { get; init; }

    /// <summary>The caller's configuration, stored as given but with any wrapped secret protected.</summary>
    public JsonObject? Config { get; init; }

    /// <summary>The desired graph, secrets protected (see <see cref="GraphCodec"/>).</summary>
    public required JsonObject Graph { get; init; }

    /// <summary>Notes other layers attach to this version (a gate's verdict, an override), kept as given: the engine never reads them.</summary>
    public List<JsonObject> Annotations { get; init; } = [];

    public StackVersion WithoutGraph() => this with { Graph = new JsonObject(), Config = null };
}
