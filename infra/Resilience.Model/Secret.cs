using System.Text.Json.Nodes;
using Resilience.Platform;

namespace Resilience.Model;

/// <summary>
/// A secret inside resource inputs is a JSON object with the single key <see cref="Key"/>.
/// Providers unwrap it; everything that prints or stores inputs masks it.
/// </summary>
public static class Secret
{
    public const string Key = "$secret";
    public const string Mask = "[secret]";

    public static JsonObject Wrap(string plaintext) => new() { [Key] = plaintext };

    public static bool IsSecret(JsonNode? node) =>
        node is JsonObject o && o.Count == 1 && o.ContainsKey(Key);

    /// <summary>The plaintext of a wrapped secret, or the node's string value when it is not a secret.</summary>
    public static string? Reveal(JsonNode? node) =>
        IsSecret(node) ? node![Key]!.GetValue<string>() : node?.GetValue<string>();

    /// <summary>True when the node or anything inside it is a secret.</summary>
    public static bool Contains(JsonNode? node) => node switch
    {
        JsonObject o when IsSecret(o) => true,
        JsonObject o => o.Any(p => Contains(p.Value)),
        JsonArray a => a.Any(Contains),
        _ => false,
    };

    /// <summary>A deep copy with every secret replaced by the mask: safe to print or log.</summary>
    public static JsonNode? Masked(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o when IsSecret(o) => JsonValue.Create(Mask),
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Masked(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Masked).ToArray()),
        _ => node.DeepClone(),
    };

    /// <summary>Stable fingerprint of a secret's plaintext, to detect a change without storing the value.</summary>
    public static string Fingerprint(string plaintext) => ContentHash.Tagged(plaintext);
}
