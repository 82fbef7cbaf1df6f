using System.Text.Json.Nodes;
using Resilience.Engine.Providers;
using Resilience.Engine.State;
using Resilience.Model;

namespace Resilience.Engine.Planning;

/// <summary>One thing the executor does to one resource.</summary>
public sealed class PlanStep
{
    public required int Index { get; init; }
    public required string Urn { get; init; }
    public required string Type { get; init; }
    public required string Name { get; init; }
    public required StepKind Kind { get; init; }

    /// <summary>The input keys the provider said changed (for Replace: those that force it).</summary>
    public IReadOnlyList<string> Keys { get; init; } = [];

    /// <summary>A replace that loses data the old resource held (e.g. a stream's messages).</summary>
    public bool DeletesData { get; init; }

    /// <summary>For Replace: the old one is deleted before the new one is created.</summary>
    public bool DeleteBeforeReplace { get; init; }

    /// <summary>A delete that only forgets the resource (<see cref="ResourceOptions.RetainOnDelete"/>): nothing is deleted.</summary>
    public bool Retain { get; init; }

    /// <summary>A delete of the original of an earlier replace whose delete did not finish.</summary>
    public bool Orphan { get; init; }

    /// <summary>For Same: dependencies or options changed, so the record is rewritten (no provider call).</summary>
    public bool RecordChanged { get; init; }

    /// <summary>Property-level changes between recorded and desired inputs; secrets masked.</summary>
    public IReadOnlyList<PropertyChange> Changes { get; init; } = [];

    /// <summary>Indexes of the steps that must finish first.</summary>
    public IReadOnlyList<int> WaitsFor { get; internal set; } = [];

    public Resource? Desired { get; init; }
    public StoredResource? Recorded { get; init; }
    public DiffResult? Diff { get; init; }

    public JsonObject ToJson(IReadOnlyList<PlanStep> all)
    {
        var json = new JsonObject
        {
            ["urn"] = Urn,
            ["type"] = Type,
            ["name"] = Name,
            ["kind"] = Kind.Name(),
        };
        if (Keys.Count > 0) json["keys"] = new JsonArray(Keys.Select(k => (JsonNode?)k).ToArray());
        if (Kind == StepKind.Replace)
        {
            json["deleteBeforeReplace"] = DeleteBeforeReplace;
            json["deletesData"] = DeletesData;
        }
        if (Orphan) json["orphan"] = true;
        if (Retain) json["retain"] = true;
        if (WaitsFor.Count > 0) json["waitsFor"] = new JsonArray(WaitsFor.Select(i => (JsonNode?)all[i].Urn).ToArray());
        if (Changes.Count > 0) json["changes"] = new JsonArray(Changes.Select(c => (JsonNode?)c.ToJson()).ToArray());
        return json;
    }
}
