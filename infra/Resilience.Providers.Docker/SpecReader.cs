using System.Text.Json;
using System.Text.Json.Nodes;

namespace Resilience.Providers.Docker;

/// <summary>Reads typed values out of JSON inputs, collecting one message per problem instead of throwing.</summary>
internal sealed class SpecReader(string subject)
{
    private readonly List<string> _problems = [];

    public IReadOnlyList<string> Problems => _problems;

    public void Problem(string path, string message) => _problems.Add($"{subject}: {path} {message}");

    public string? String(JsonObject o, string key, string path, bool required = false)
    {
        var node = o[key];
        if (node is null)
        {
            if (required) Problem(Join(path, key), "is required");
            return null;
        }
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            var text = v.GetValue<string>();
            if (required && text.Length == 0) Problem(Join(path, key), "must not be empty");
            return text;
        }
        Problem(Join(path, key), "must be a string");
        return null;
    }

    public int? Int(JsonObject o, string key, string path, bool required = false)
    {
        var node = o[key];
        if (node is null)
        {
            if (required) Problem(Join(path, key), "is required");
            return null;
        }
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var number)) return number;
        if (node is JsonValue d && d.GetValueKind() == JsonValueKind.Number && d.TryGetValue<double>(out var real) && real == Math.Floor(real)) return (int)real;
        Problem(Join(path, key), "must be an integer");
        return null;
    }

    public bool? Bool(JsonObject o, string key, string path)
    {
        var node = o[key];
        if (node is null) return null;
        if (node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False) return v.GetValue<bool>();
        Problem(Join(path, key), "must be true or false");
        return null;
    }

    public JsonObject? Object(JsonObject o, string key, string path, bool required = false)
    {
        var node = o[key];
        if (node is null)
        {
            if (required) Problem(Join(path, key), "is required");
            return null;
        }
        if (node is JsonObject obj) return obj;
        Problem(Join(path, key), "must be an object");
        return null;
    }

    /// <summary>The objects of an array; non-objects are reported and skipped.</summary>
    public IReadOnlyList<(JsonObject Item, string Path)> Objects(JsonObject o, string key, string path)
    {
        var node = o[key];
        if (node is null) return [];
        if (node is not JsonArray array)
        {
            Problem(Join(path, key), "must be an array");
            return [];
        }
        var items = new List<(JsonObject, string)>();
        for (var i = 0; i < array.Count; i++)
        {
            var itemPath = $"{Join(path, key)}[{i}]";
            if (array[i] is JsonObject item) items.Add((item, itemPath));
            else Problem(itemPath, "must be an object");
        }
        return items;
    }

    /// <summary>An array of plain strings; null when the key is absent.</summary>
    public IReadOnlyList<string>? Strings(JsonObject o, string key, string path, bool required = false)
    {
        var node = o[key];
        if (node is null)
        {
            if (required) Problem(Join(path, key), "is required");
            return null;
        }
        if (node is not JsonArray array)
        {
            Problem(Join(path, key), "must be an array of strings");
            return null;
        }
        var items = new List<string>();
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String) items.Add(v.GetValue<string>());
            else Problem($"{Join(path, key)}[{i}]", "must be a plain string");
        }
        return items;
    }

    /// <summary>A string-to-string map; null when the key is absent.</summary>
    public IReadOnlyDictionary<string, string>? StringMap(JsonObject o, string key, string path)
    {
        var map = Object(o, key, path);
        if (map is null) return null;
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in map)
        {
            if (v is JsonValue value && value.GetValueKind() == JsonValueKind.String) result[k] = value.GetValue<string>();
            else Problem($"{Join(path, key)}.{k}", "must be a string");
        }
        return result;
    }

    public static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
}
