using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace Resilience.Tests.Pulumi;

/// <summary>
/// Checks resources of a Pulumi YAML program against the vendored provider schemas (schemas/): every property
/// exists, has a compatible type, and every required input is there.
/// </summary>
public sealed class ProviderSchemas
{
    /// <summary>
    /// The vendored schemas carry no provider configuration section; the docker provider's `host` (a string,
    /// "unix://…", "tcp://…" or "ssh://…") is its documented endpoint setting. The command provider needs no config.
    /// </summary>
    private static readonly Dictionary<string, Dictionary<string, string>> ProviderConfig = new(StringComparer.Ordinal)
    {
        ["pulumi:providers:docker"] = new() { ["host"] = "string" },
    };

    private readonly Dictionary<string, JsonElement> _resources = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonElement> _types = new(StringComparer.Ordinal);

    public static ProviderSchemas Load()
    {
        var schemas = new ProviderSchemas();
        var dir = Path.Combine(RepoPaths.Root, "tests", "Resilience.Tests", "Pulumi", "schemas");
        foreach (var file in new[] { "docker.json", "command.json" })
        {
            var root = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, file))).RootElement;
            foreach (var r in root.GetProperty("resources").EnumerateObject()) schemas._resources[r.Name] = r.Value;
            foreach (var t in root.GetProperty("types").EnumerateObject()) schemas._types[t.Name] = t.Value;
        }
        return schemas;
    }

    public bool Knows(string type) => _resources.ContainsKey(type) || ProviderConfig.ContainsKey(type);

    public IReadOnlyCollection<string> OutputsOf(string type) =>
        _resources.TryGetValue(type, out var r) ? r.GetProperty("outputProperties").EnumerateArray().Select(e => e.GetString()!).ToList() : [];

    /// <summary>Problems with one resource's properties; empty when it fits the schema.</summary>
    public List<string> Check(string resourceKey, string type, YamlMappingNode properties)
    {
        var problems = new List<string>();
        if (ProviderConfig.TryGetValue(type, out var config))
        {
            foreach (var (key, value) in Entries(properties))
            {
                if (!config.TryGetValue(key, out var expected)) problems.Add($"{resourceKey}.{key}: not a setting of {type}");
                else CheckValue($"{resourceKey}.{key}", JsonDocument.Parse($"{{\"type\":\"{expected}\"}}").RootElement, value, problems);
            }
            return problems;
        }
        if (!_resources.TryGetValue(type, out var schema))
        {
            problems.Add($"{resourceKey}: type {type} is not in the vendored schemas");
            return problems;
        }
        CheckObject(resourceKey, schema.GetProperty("inputProperties"), schema.GetProperty("requiredInputs"), properties, problems);
        return problems;
    }

    private void CheckObject(string path, JsonElement propertySpecs, JsonElement? required, YamlMappingNode node, List<string> problems)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in Entries(node))
        {
            present.Add(key);
            if (!propertySpecs.TryGetProperty(key, out var spec)) problems.Add($"{path}.{key}: no such property");
            else CheckValue($"{path}.{key}", spec, value, problems);
        }
        if (required is { } req)
        {
            foreach (var name in req.EnumerateArray().Select(e => e.GetString()!).Where(n => !present.Contains(n)))
                problems.Add($"{path}: required input '{name}' missing");
        }
    }

    private void CheckValue(string path, JsonElement spec, YamlNode value, List<string> problems)
    {
        if (value is YamlMappingNode secret && secret.Children.Count == 1 && secret.Children.ContainsKey(new YamlScalarNode("fn::secret")))
        {
            CheckValue(path, spec, secret.Children[new YamlScalarNode("fn::secret")], problems);
            return;
        }
        // A whole-value reference takes the type of the output it names; the reference test checks the output exists.
        if (value is YamlScalarNode s && IsWholeReference(s.Value)) return;

        if (spec.TryGetProperty("$ref", out var reference))
        {
            var target = reference.GetString()!;
            if (target == "pulumi.json#/Any") return;
            if (!target.StartsWith("#/types/", StringComparison.Ordinal) || !_types.TryGetValue(target["#/types/".Length..], out var typeSpec))
            {
                problems.Add($"{path}: schema type {target} is not vendored");
                return;
            }
            spec = typeSpec;
        }
        if (spec.TryGetProperty("enum", out var values))
        {
            var text = (value as YamlScalarNode)?.Value;
            if (!values.EnumerateArray().Any(v => v.GetString() == text)) problems.Add($"{path}: '{text}' is not one of the enum values");
            return;
        }
        var type = spec.TryGetProperty("type", out var t) ? t.GetString() : spec.TryGetProperty("properties", out _) ? "object" : null;
        switch (type, value)
        {
            case ("string", YamlScalarNode v):
                Expect(path, v, "string", problems);
                break;
            case ("integer", YamlScalarNode v):
                Expect(path, v, "integer", problems);
                break;
            case ("number", YamlScalarNode v):
                if (PulumiTemplate.ScalarKind(v) is not ("integer" or "number")) problems.Add($"{path}: expected a number, got '{v.Value}'");
                break;
            case ("boolean", YamlScalarNode v):
                Expect(path, v, "boolean", problems);
                break;
            case ("array", YamlSequenceNode list):
                var items = spec.GetProperty("items");
                for (var i = 0; i < list.Children.Count; i++) CheckValue($"{path}[{i}]", items, list.Children[i], problems);
                break;
            case ("object", YamlMappingNode map) when spec.TryGetProperty("properties", out var properties):
                CheckObject(path, properties, spec.TryGetProperty("required", out var req) ? req : null, map, problems);
                break;
            case ("object", YamlMappingNode map) when spec.TryGetProperty("additionalProperties", out var valueSpec):
                foreach (var (key, item) in Entries(map)) CheckValue($"{path}.{key}", valueSpec, item, problems);
                break;
            default:
                problems.Add($"{path}: a {value.NodeType} where the schema expects {type ?? spec.ToString()}");
                break;
        }
    }

    private static void Expect(string path, YamlScalarNode value, string kind, List<string> problems)
    {
        var actual = PulumiTemplate.ScalarKind(value);
        if (actual != kind) problems.Add($"{path}: expected {kind}, got {actual} '{value.Value}'");
    }

    private static bool IsWholeReference(string? text) =>
        text is not null && text.StartsWith("${", StringComparison.Ordinal) && text.EndsWith('}') && text.IndexOf('}') == text.Length - 1;

    private static IEnumerable<(string Key, YamlNode Value)> Entries(YamlMappingNode node) =>
        node.Children.Select(p => (((YamlScalarNode)p.Key).Value!, p.Value));
}
