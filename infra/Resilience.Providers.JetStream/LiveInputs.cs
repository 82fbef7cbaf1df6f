using System.Text.Json.Nodes;

namespace Resilience.Providers.JetStream;

/// <summary>Builds live inputs in the recorded inputs' own spelling, so that drift is a plain JSON comparison.</summary>
internal static class LiveInputs
{
    /// <summary>
    /// Copies the recorded node for a key that did not drift (keeping "1440m" as written, or the key absent),
    /// and writes the live value for one that did.
    /// </summary>
    public static void Put(JsonObject live, JsonObject recorded, string key, IReadOnlyCollection<string> drifted, Func<JsonNode?> liveValue)
    {
        if (drifted.Contains(key)) live[key] = liveValue();
        else if (recorded[key] is { } node) live[key] = node.DeepClone();
    }
}
