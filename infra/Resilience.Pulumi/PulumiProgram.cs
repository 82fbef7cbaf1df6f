using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Resilience.Pulumi;

/// <summary>One resource of a Pulumi YAML program, with the resource options this compiler uses.</summary>
public sealed record PulumiResource(string Key, string Type, YamlMappingNode Properties)
{
    public string? Provider { get; init; }
    public string? Version { get; init; }
    public IReadOnlyList<string> DependsOn { get; init; } = [];
    public bool Protect { get; init; }
    public bool DeleteBeforeReplace { get; init; }
    public bool RetainOnDelete { get; init; }

    /// <summary>Properties whose change replaces the resource although its provider would update it in place.</summary>
    public IReadOnlyList<string> ReplaceOnChanges { get; init; } = [];
}

/// <summary>A Pulumi YAML program (the template the YAML language host evaluates) and its serialisation.</summary>
public sealed class PulumiProgram(string name, string description)
{
    private readonly List<PulumiResource> _resources = [];
    private readonly Dictionary<string, PulumiResource> _byKey = new(StringComparer.Ordinal);
    private readonly List<KeyValuePair<string, YamlNode>> _outputs = [];

    public IReadOnlyList<PulumiResource> Resources => _resources;

    public void Add(PulumiResource resource)
    {
        if (!_byKey.TryAdd(resource.Key, resource)) throw new InvalidOperationException($"two Pulumi resources named '{resource.Key}'");
        _resources.Add(resource);
    }

    public bool Contains(string key) => _byKey.ContainsKey(key);

    public void Output(string key, YamlNode value) => _outputs.Add(KeyValuePair.Create(key, value));

    public string ToYaml()
    {
        var root = new YamlMappingNode
        {
            { "name", YamlValues.Literal(name) },
            { "runtime", "yaml" },
            { "description", YamlValues.Literal(description) },
        };
        var resources = new YamlMappingNode();
        foreach (var r in _resources) resources.Add(r.Key, Resource(r));
        root.Add("resources", resources);
        if (_outputs.Count > 0) root.Add("outputs", new YamlMappingNode(_outputs.Select(o => KeyValuePair.Create<YamlNode, YamlNode>(new YamlScalarNode(o.Key), o.Value))));

        using var writer = new StringWriter();
        var emitter = new Emitter(writer, new EmitterSettings(bestIndent: 2, bestWidth: int.MaxValue, isCanonical: false, maxSimpleKeyLength: 1024));
        new YamlStream(new YamlDocument(root)).Save(emitter, assignAnchors: false);
        // The emitter closes the document with an explicit end marker; the program is the whole stream anyway.
        var text = writer.ToString();
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }

    private static YamlMappingNode Resource(PulumiResource r)
    {
        var node = new YamlMappingNode { { "type", r.Type } };
        if (r.Properties.Children.Count > 0) node.Add("properties", r.Properties);
        var options = new YamlMappingNode();
        if (r.Provider is not null) options.Add("provider", YamlValues.Ref(r.Provider));
        if (r.Version is not null) options.Add("version", new YamlScalarNode(r.Version) { Style = ScalarStyle.DoubleQuoted });
        if (r.DependsOn.Count > 0) options.Add("dependsOn", YamlValues.List(r.DependsOn.Distinct().Select(d => (YamlNode)YamlValues.Ref(d))));
        if (r.Protect) options.Add("protect", YamlValues.Bool(true));
        if (r.DeleteBeforeReplace) options.Add("deleteBeforeReplace", YamlValues.Bool(true));
        if (r.RetainOnDelete) options.Add("retainOnDelete", YamlValues.Bool(true));
        if (r.ReplaceOnChanges.Count > 0) options.Add("replaceOnChanges", YamlValues.List(r.ReplaceOnChanges.Select(p => (YamlNode)YamlValues.Literal(p))));
        if (options.Children.Count > 0) node.Add("options", options);
        return node;
    }
}
