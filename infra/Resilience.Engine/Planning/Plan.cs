using System.Text.Json;
using System.Text.Json.Nodes;
using Resilience.Engine.State;

namespace Resilience.Engine.Planning;

/// <summary>The ordered steps that take a stack from its recorded state to the desired graph.</summary>
public sealed class Plan(string stack, IReadOnlyList<PlanStep> steps, IReadOnlyList<string> notices, IReadOnlyList<string>? warnings = null)
{
    public string Stack { get; } = stack;

    /// <summary>Creates and updates in dependency order, then deletes in reverse dependency order.</summary>
    public IReadOnlyList<PlanStep> Steps { get; } = steps;

    /// <summary>Things the operator should know (e.g. how interrupted operations were resolved).</summary>
    public IReadOnlyList<string> Notices { get; } = notices;

    /// <summary>The desired graph's own warnings, and changes of outputs the program asked to be warned about.</summary>
    public IReadOnlyList<string> Warnings { get; } = warnings ?? [];

    public ChangeSummary Summary => new(Steps.Select(s => s.Kind));

    public bool HasChanges => Steps.Any(s => s.Kind != StepKind.Same);

    public IEnumerable<PlanStep> DataLoss => Steps.Where(s => s.DeletesData);

    public JsonObject ToJson() => new()
    {
        ["stack"] = Stack,
        ["summary"] = Summary.ToJson(),
        ["deletesData"] = new JsonArray(DataLoss.Select(s => (JsonNode?)s.Urn).ToArray()),
        ["notices"] = new JsonArray(Notices.Select(n => (JsonNode?)n).ToArray()),
        ["warnings"] = new JsonArray(Warnings.Select(w => (JsonNode?)w).ToArray()),
        ["steps"] = new JsonArray(Steps.Select(s => (JsonNode?)s.ToJson(Steps)).ToArray()),
    };

    public string ToJsonString() => ToJson().ToJsonString(StateJson.Options);
}
