using System.Text.Json.Nodes;
using Resilience.Engine.Secrets;

namespace Resilience.Engine.Planning;

public enum ChangeKind
{
    Added,
    Removed,
    Changed,
}

/// <summary>One input that differs, for a <c>--diff</c> view. Old and New are masked: they never hold a secret.</summary>
/// <param name="Path">Dotted path of the input ("env.NATS_URL"); arrays are compared whole.</param>
public sealed record PropertyChange(string Path, ChangeKind Kind, JsonNode? Old, JsonNode? New)
{
    public JsonObject ToJson() => new()
    {
        ["path"] = Path,
        ["kind"] = Kind.ToString().ToLowerInvariant(),
        ["old"] = Old?.DeepClone(),
        ["new"] = New?.DeepClone(),
    };
}

/// <summary>Compares two input objects key by key, descending into nested objects.</summary>
public static class PropertyDiff
{
    public static IReadOnlyList<PropertyChange> Between(JsonObject? old, JsonObject? @new, SecretCodec codec)
    {
        var changes = new List<PropertyChange>();
        Walk("", old, @new, codec, changes);
        return changes;
    }

    private static void Walk(string prefix, JsonObject? old, JsonObject? @new, SecretCodec codec, List<PropertyChange> changes)
    {
        var keys = (old?.Select(p => p.Key) ?? []).Concat(@new?.Select(p => p.Key) ?? []).Distinct(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var path = prefix.Length == 0 ? key : $"{prefix}.{key}";
            var hadOld = old?.ContainsKey(key) == true;
            var hasNew = @new?.ContainsKey(key) == true;
            var o = hadOld ? old![key] : null;
            var n = hasNew ? @new![key] : null;
            if (hadOld && hasNew && IsPlainObject(o) && IsPlainObject(n))
            {
                Walk(path, (JsonObject)o!, (JsonObject)n!, codec, changes);
            }
            else if (!hadOld)
            {
                changes.Add(new PropertyChange(path, ChangeKind.Added, null, SecretCodec.Masked(n)));
            }
            else if (!hasNew)
            {
                changes.Add(new PropertyChange(path, ChangeKind.Removed, SecretCodec.Masked(o), null));
            }
            else if (!codec.SameValue(o, n))
            {
                changes.Add(new PropertyChange(path, ChangeKind.Changed, SecretCodec.Masked(o), SecretCodec.Masked(n)));
            }
        }
    }

    private static bool IsPlainObject(JsonNode? node) => node is JsonObject && !SecretCodec.IsAnySecret(node);
}
