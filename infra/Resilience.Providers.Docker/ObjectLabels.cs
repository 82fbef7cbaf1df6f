namespace Resilience.Providers.Docker;

/// <summary>The labels that mark a Docker object as made by a stack, and the ownership test built on them.</summary>
public static class ObjectLabels
{
    public const string Stack = "resilience.stack";
    public const string Urn = "resilience.urn";
    public const string ContentHash = "resilience.contentHash";
    public const string ConfigHash = "resilience.configHash";

    public static bool IsReserved(string key) => ResourceLabels.IsReserved(key);

    /// <summary>Our two ownership labels plus the user's "labels" input.</summary>
    public static Dictionary<string, string> For(Resource resource)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (resource.Inputs["labels"] is JsonObject given)
        {
            foreach (var (key, value) in given) labels[key] = value?.GetValue<string>() ?? "";
        }
        labels[Stack] = resource.Stack;
        labels[Urn] = resource.Urn;
        return labels;
    }

    public static bool IsOwnedBy(IDictionary<string, string>? labels, string urn) =>
        labels is not null && labels.TryGetValue(Urn, out var value) && value == urn;

    /// <summary>The error for a name already taken by an object this resource does not own.</summary>
    public static InvalidOperationException Clash(string kind, string name, IDictionary<string, string>? labels, string urn)
    {
        var owner = labels is not null && labels.TryGetValue(Urn, out var other)
            ? $"it belongs to {other}"
            : "it carries no resilience labels";
        return new InvalidOperationException(
            $"docker {kind} '{name}' already exists and is not managed by {urn} ({owner}); remove or rename it, or change the name in the stack");
    }

    /// <summary>The user labels observed on an object: everything but our reserved keys.</summary>
    public static JsonObject UserLabels(IDictionary<string, string>? labels)
    {
        var result = new JsonObject();
        if (labels is null) return result;
        foreach (var (key, value) in labels.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!IsReserved(key)) result[key] = value;
        }
        return result;
    }
}
