using System.Text.Json.Nodes;
using Resilience.Engine.Planning;
using Resilience.Engine.State;
using Resilience.Stack.Review;

namespace Resilience.Cli.Views;

/// <summary>
/// The plan's JSON with, per multi-line property change, its whole unified diff (`diff`, never cut) and the
/// per-component review (`review`).
/// </summary>
public static class PlanJson
{
    public static string Render(Plan plan, IReadOnlyList<ComponentChange>? review = null)
    {
        var json = plan.ToJson();
        var steps = json["steps"]!.AsArray();
        for (var i = 0; i < plan.Steps.Count; i++)
        {
            var step = plan.Steps[i];
            if (steps[i]?["changes"] is not JsonArray changes) continue;
            for (var j = 0; j < step.Changes.Count; j++)
            {
                var change = new ChangeText(step.Changes[j]);
                if (change.MultiLine) changes[j]!["diff"] = change.Diff.ToUnified(change.Change.Path == "content" ? step.Name : $"{step.Name}/{change.Change.Path}");
            }
        }
        if (review is not null)
        {
            json["review"] = new JsonArray(review.Select(c => (JsonNode?)new JsonObject
            {
                ["component"] = c.Component,
                ["changes"] = new JsonArray(c.Changes.Select(w => (JsonNode?)w).ToArray()),
                ["text"] = c.ToString(),
            }).ToArray());
        }
        return json.ToJsonString(StateJson.Options);
    }
}
