using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Resilience.Model;

namespace Resilience.Providers.JetStream;

/// <summary>Reads typed values out of JSON inputs, collecting one message per problem (named by its key).</summary>
internal sealed class InputReader(JsonObject inputs, string keyPrefix = "")
{
    private readonly List<string> _problems = [];

    public IReadOnlyList<string> Problems => _problems;

    public JsonObject Inputs => inputs;

    public void Problem(string key, string message) => _problems.Add($"{keyPrefix}{key}: {message}");

    public void RejectUnknownKeys(IReadOnlyCollection<string> known)
    {
        foreach (var key in inputs.Select(p => p.Key).Where(k => !known.Contains(k)))
        {
            Problem(key, $"unknown input (known: {string.Join(", ", known)})");
        }
    }

    public string RequiredString(string key) => OptionalString(key) ?? Missing(key, "a string", string.Empty);

    public string? OptionalString(string key)
    {
        switch (inputs[key])
        {
            case null:
                return null;
            case JsonValue v when v.TryGetValue<string>(out var text):
                return text.Length == 0 ? null : text;
            default:
                Problem(key, $"{inputs[key]!.ToJsonString()} is not a string");
                return null;
        }
    }

    /// <summary>A string that may be given plainly or wrapped as a secret.</summary>
    public string? OptionalSecretOrString(string key)
    {
        var node = inputs[key];
        if (node is null) return null;
        if (Secret.IsSecret(node) && node[Secret.Key] is JsonValue s && s.TryGetValue<string>(out var secret)) return secret;
        if (node is JsonValue v && v.TryGetValue<string>(out var text)) return text;
        Problem(key, "is neither a string nor a secret");
        return null;
    }

    public long Integer(string key, long fallback)
    {
        var node = inputs[key];
        if (node is null) return fallback;
        // A JsonValue made from an int does not convert to long: go through its JSON text, which every number has.
        if (node.GetValueKind() == JsonValueKind.Number)
        {
            var text = node.ToJsonString();
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return l;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d) && Math.Abs(d) < long.MaxValue) return (long)d;
        }
        Problem(key, $"{node.ToJsonString()} is not a whole number");
        return fallback;
    }

    public TimeSpan Duration(string key, TimeSpan fallback) => OptionalDuration(key) ?? fallback;

    public TimeSpan? OptionalDuration(string key)
    {
        var text = OptionalString(key);
        if (text is null) return null;
        // Stream and consumer durations are what nats-server reads: Go's units, no days.
        if (Platform.Duration.TryParseGo(text, out var value, out var problem)) return value;
        Problem(key, problem);
        return null;
    }

    public T Choice<T>(string key, IReadOnlyDictionary<string, T> choices, T fallback)
    {
        var text = OptionalString(key);
        if (text is null) return fallback;
        if (choices.TryGetValue(text, out var value)) return value;
        Problem(key, $"'{text}' is not one of {string.Join(", ", choices.Keys)}");
        return fallback;
    }

    public IReadOnlyList<string> StringList(string key)
    {
        var node = inputs[key];
        if (node is null) return [];
        if (node is JsonArray a && a.All(e => e is JsonValue v && v.TryGetValue<string>(out _)))
        {
            return a.Select(e => e!.GetValue<string>()).ToList();
        }
        Problem(key, "is not a list of strings");
        return [];
    }

    public IReadOnlyList<JsonObject> ObjectList(string key)
    {
        var node = inputs[key];
        if (node is null) return [];
        if (node is JsonArray a && a.All(e => e is JsonObject)) return a.Select(e => e!.AsObject()).ToList();
        Problem(key, "is not a list of objects");
        return [];
    }

    /// <summary>Reads a nested object's keys, reporting its problems under "key[index].".</summary>
    public InputReader Nested(JsonObject inner, string path) => new(inner, $"{keyPrefix}{path}.");

    public void Absorb(InputReader nested) => _problems.AddRange(nested.Problems);

    private T Missing<T>(string key, string what, T fallback)
    {
        Problem(key, $"required, {what}");
        return fallback;
    }
}
