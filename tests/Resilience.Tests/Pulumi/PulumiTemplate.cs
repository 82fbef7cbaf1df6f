using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Resilience.Tests.Pulumi;

/// <summary>A parsed Pulumi YAML program, read the way the YAML language host reads it (interpolation, `$$`).</summary>
public sealed class PulumiTemplate
{
    public static readonly string[] TopLevelKeys = ["name", "runtime", "description", "config", "variables", "resources", "outputs"];

    private PulumiTemplate(YamlMappingNode root)
    {
        Root = root;
        Resources = Map(root, "resources").ToDictionary(p => p.Key, p => (YamlMappingNode)p.Value, StringComparer.Ordinal);
        Variables = Map(root, "variables").Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        Config = Map(root, "config").Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
    }

    public YamlMappingNode Root { get; }
    public IReadOnlyDictionary<string, YamlMappingNode> Resources { get; }
    public IReadOnlySet<string> Variables { get; }
    public IReadOnlySet<string> Config { get; }

    public IEnumerable<string> Keys => Root.Children.Keys.Select(k => ((YamlScalarNode)k).Value!);

    public static PulumiTemplate Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        Assert.Single(stream.Documents);
        return new PulumiTemplate((YamlMappingNode)stream.Documents[0].RootNode);
    }

    public string TypeOf(string resource) => Scalar(Resources[resource], "type")!;

    public YamlMappingNode Properties(string resource) => Child(Resources[resource], "properties") ?? new YamlMappingNode();

    public YamlMappingNode Options(string resource) => Child(Resources[resource], "options") ?? new YamlMappingNode();

    /// <summary>The value of a literal string property as Pulumi sees it (after `$$` → `$`).</summary>
    public string Text(string resource, params string[] path)
    {
        YamlNode node = Properties(resource);
        foreach (var key in path) node = ((YamlMappingNode)node).Children[new YamlScalarNode(key)];
        if (node is YamlMappingNode secret && secret.Children.ContainsKey(new YamlScalarNode("fn::secret")))
            node = secret.Children[new YamlScalarNode("fn::secret")];
        var (text, refs) = Interpolation(((YamlScalarNode)node).Value!);
        Assert.Empty(refs);
        return text;
    }

    /// <summary>Every `${...}` reference anywhere under the node, as the root name it points at and the full path.</summary>
    public static IEnumerable<string> References(YamlNode node) => node switch
    {
        YamlScalarNode s => Interpolation(s.Value ?? "").Refs,
        YamlMappingNode m => m.Children.Values.SelectMany(References),
        YamlSequenceNode q => q.Children.SelectMany(References),
        _ => [],
    };

    /// <summary>Splits a string into its literal text and its references, as Pulumi YAML's interpolation parser does.</summary>
    public static (string Text, List<string> Refs) Interpolation(string value)
    {
        var text = new StringBuilder();
        var refs = new List<string>();
        for (var i = 0; i < value.Length;)
        {
            if (value.AsSpan(i).StartsWith("$$"))
            {
                text.Append('$');
                i += 2;
            }
            else if (value.AsSpan(i).StartsWith("${"))
            {
                var end = value.IndexOf('}', i);
                Assert.True(end > 0, $"unterminated interpolation in '{value}'");
                refs.Add(value[(i + 2)..end]);
                i = end + 1;
            }
            else
            {
                text.Append(value[i]);
                i++;
            }
        }
        return (text.ToString(), refs);
    }

    public static string RootOf(string reference)
    {
        var end = reference.IndexOfAny(['.', '[']);
        return end < 0 ? reference : reference[..end];
    }

    public static YamlMappingNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? (YamlMappingNode)child : null;

    public static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? ((YamlScalarNode)child).Value : null;

    /// <summary>How a scalar reads back under YAML's core schema: only plain scalars can be numbers or booleans.</summary>
    public static string ScalarKind(YamlScalarNode s)
    {
        if (s.Style is not (ScalarStyle.Plain or ScalarStyle.Any)) return "string";
        var v = s.Value ?? "";
        if (v is "true" or "false" or "True" or "False" or "TRUE" or "FALSE") return "boolean";
        if (v is "null" or "~" or "" or "Null" or "NULL") return "null";
        if (long.TryParse(v, out _)) return "integer";
        if (double.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _)) return "number";
        return "string";
    }

    private static IEnumerable<KeyValuePair<string, YamlNode>> Map(YamlMappingNode root, string key) =>
        Child(root, key)?.Children.Select(p => KeyValuePair.Create(((YamlScalarNode)p.Key).Value!, p.Value)) ?? [];
}
