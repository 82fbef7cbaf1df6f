using System.Text.Json.Nodes;
using Resilience.Stack.Config;

namespace Resilience.Operations.Rollback;

/// <summary>A stack's config as history records it: full keys, values as written, secure ones as <c>{"secure": ciphertext}</c>.</summary>
public static class ConfigSnapshot
{
    public const string SecureKey = "secure";

    public static JsonObject Of(StackConfig config) => new(config.Values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v =>
        KeyValuePair.Create(v.Value.Key, v.Value.IsSecure ? new JsonObject { [SecureKey] = v.Value.Ciphertext } : v.Value.Value?.DeepClone())));

    /// <summary>The ciphertext of a recorded secure value; null for a plain one.</summary>
    public static string? Ciphertext(JsonNode? recorded) =>
        recorded is JsonObject { Count: 1 } o && o[SecureKey] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
}
