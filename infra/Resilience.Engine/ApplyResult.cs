using System.Text.Json.Nodes;
using Resilience.Engine.Execution;
using Resilience.Engine.History;
using Resilience.Engine.Planning;

namespace Resilience.Engine;

/// <summary>What an up, destroy or rollback did.</summary>
public sealed record ApplyResult(Plan Plan, IReadOnlyList<StepOutcome> Outcomes, StackVersion Version, TimeSpan Elapsed, IReadOnlyList<string> Notices)
{
    public bool Succeeded => Outcomes.All(o => o.Status == StepStatus.Succeeded);

    public IEnumerable<StepOutcome> Failures => Outcomes.Where(o => o.Status == StepStatus.Failed);

    /// <summary>Succeeded steps per kind, plus "failed" and "skipped" when any: what the history records.</summary>
    public static Dictionary<string, int> Summarize(IEnumerable<StepOutcome> outcomes)
    {
        var summary = new Dictionary<string, int>();
        foreach (var outcome in outcomes)
        {
            var key = outcome.Status == StepStatus.Succeeded ? outcome.Step.Kind.Name() : outcome.Status.ToString().ToLowerInvariant();
            summary[key] = summary.GetValueOrDefault(key) + 1;
        }
        return summary;
    }

    public JsonObject ToJson() => new()
    {
        ["stack"] = Plan.Stack,
        ["version"] = Version.Version,
        ["command"] = Version.Command,
        ["succeeded"] = Succeeded,
        ["elapsedMs"] = (long)Elapsed.TotalMilliseconds,
        ["summary"] = new JsonObject(Version.Summary.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
        ["notices"] = new JsonArray(Notices.Select(n => (JsonNode?)n).ToArray()),
        ["warnings"] = new JsonArray(Plan.Warnings.Select(w => (JsonNode?)w).ToArray()),
        ["steps"] = new JsonArray(Outcomes.Where(o => o.Step.Kind != StepKind.Same).Select(o => (JsonNode?)new JsonObject
        {
            ["urn"] = o.Step.Urn,
            ["kind"] = o.Step.Kind.Name(),
            ["status"] = o.Status.ToString().ToLowerInvariant(),
            ["elapsedMs"] = (long)o.Elapsed.TotalMilliseconds,
            ["error"] = o.Error,
        }).ToArray()),
    };
}
