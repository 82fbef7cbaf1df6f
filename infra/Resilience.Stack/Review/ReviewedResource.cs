using System.Text.Json.Nodes;

namespace Resilience.Stack.Review;

/// <summary>One resource of a plan as a review reads it. Inputs must already be masked (no secret plaintext).</summary>
/// <param name="Change">What the plan does: same, create, update, reload, replace or delete.</param>
/// <param name="Old">The recorded inputs (null for a create).</param>
/// <param name="New">The desired inputs (null for a delete).</param>
public sealed record ReviewedResource(string Type, string Name, string Change, JsonObject? Old, JsonObject? New, bool DeletesData = false)
{
    public bool Changed => Change != "same";

    /// <summary>A string input of the old or new side (a file's content), or null.</summary>
    public static string? Text(JsonObject? inputs, string key) =>
        inputs?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}

/// <summary>What a change does to one component, in the words of the people who run it.</summary>
/// <param name="Changes">Empty when nothing of the component changes.</param>
public sealed record ComponentChange(string Component, IReadOnlyList<string> Changes)
{
    public bool Unchanged => Changes.Count == 0;

    public override string ToString() => $"{Component}: {(Unchanged ? "unchanged" : string.Join("; ", Changes))}";
}
