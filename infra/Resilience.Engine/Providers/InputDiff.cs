using System.Text.Json.Nodes;

namespace Resilience.Engine.Providers;

/// <summary>Compares two input objects key by key: what a provider's Diff starts from.</summary>
public static class InputDiff
{
    /// <summary>The keys whose values differ (added, removed or changed), in a stable order.</summary>
    public static IReadOnlyList<string> ChangedKeys(JsonObject recorded, JsonObject desired) =>
        recorded.Select(p => p.Key)
            .Union(desired.Select(p => p.Key))
            .Where(key => !JsonNode.DeepEquals(recorded[key], desired[key]))
            .Order(StringComparer.Ordinal)
            .ToList();
}
