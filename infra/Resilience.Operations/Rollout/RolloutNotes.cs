using System.Text.Json.Nodes;
using Resilience.Operations.Gates;

namespace Resilience.Operations.Rollout;

/// <summary>The annotations the rollout stores on history versions, and reads back. Their kind is in "kind".</summary>
public static class RolloutNotes
{
    public const string Gate = "gate";
    public const string Step = "rollout-step";
    public const string Rollback = "rollout-rollback";

    public static JsonObject ForGate(GateResult result, string stage, string? overrideReason = null) => new()
    {
        ["kind"] = Gate,
        ["gate"] = result.Gate,
        ["stage"] = stage,
        ["result"] = result.Verdict,
        ["at"] = result.Finished.ToString("O"),
        ["observedSeconds"] = Math.Round((result.Finished - result.Started).TotalSeconds, 1),
        ["failedChecks"] = new JsonArray(result.NotPassed.Select(c => (JsonNode?)new JsonObject
        {
            ["name"] = c.Name,
            ["phase"] = c.Phase.ToString().ToLowerInvariant(),
            ["value"] = c.Value,
            ["detail"] = c.Detail,
        }).ToArray()),
        ["override"] = overrideReason,
    };

    public static JsonObject ForStep(string from, string to, int previousVersion, string? overrideReason) => new()
    {
        ["kind"] = Step,
        ["from"] = from,
        ["to"] = to,
        ["previousVersion"] = previousVersion,
        ["override"] = overrideReason,
        ["at"] = DateTimeOffset.UtcNow.ToString("O"),
    };

    public static JsonObject ForRollback(int failedVersion, int restoredVersion, string reason) => new()
    {
        ["kind"] = Rollback,
        ["failedVersion"] = failedVersion,
        ["restoredVersion"] = restoredVersion,
        ["reason"] = reason,
        ["at"] = DateTimeOffset.UtcNow.ToString("O"),
    };

    /// <summary>The last gate verdict recorded on a version for a stage, or null.</summary>
    public static JsonObject? LastGate(IEnumerable<JsonObject> annotations, string stage) =>
        annotations.LastOrDefault(a => (string?)a["kind"] == Gate && (string?)a["stage"] == stage);

    /// <summary>One line for `stack history`: "gate week1 Go", "gate week2-batch No-Go (migrated-healthy)", "rolled back version 7 to version 6 (...)".</summary>
    public static string Describe(JsonObject note) => (string?)note["kind"] switch
    {
        Gate => $"gate {note["gate"]} {note["result"]}" + Failed(note) + Override(note),
        Step => $"step {note["from"]} -> {note["to"]}" + Override(note),
        Rollback => $"rolled back version {note["failedVersion"]} to version {note["restoredVersion"]} ({note["reason"]})",
        var other => other ?? "note",
    };

    private static string Failed(JsonObject note) => note["failedChecks"] is JsonArray { Count: > 0 } failed
        ? $" ({string.Join(", ", failed.Select(f => (string?)f!["name"]))})"
        : "";

    private static string Override(JsonObject note) => (string?)note["override"] is { } reason ? $" [override: {reason}]" : "";
}
