using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Resilience.Stack.Config;

/// <summary>Reads operator YAML files into nodes that remember their line, with errors that name the file.</summary>
internal static class YamlNodes
{
    public static YamlMappingNode? LoadMapping(string path)
    {
        if (!File.Exists(path)) throw new ConfigException(path, "file", "not found");
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new ConfigException(path, $"line {e.Start.Line}", $"not valid YAML: {e.InnerException?.Message ?? e.Message}");
        }
        if (stream.Documents.Count == 0) return null;
        return stream.Documents[0].RootNode as YamlMappingNode
            ?? throw new ConfigException(path, $"line {stream.Documents[0].RootNode.Start.Line}", "expected a mapping at the top level");
    }

    public static YamlNode? Child(this YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    public static int Line(this YamlNode node) => (int)node.Start.Line;

    /// <summary>Scalars become JSON strings (Pulumi config values are strings; typed readers parse them).</summary>
    public static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlScalarNode s when s.Style == ScalarStyle.Plain && s.Value is null or "~" or "null" => null,
        YamlScalarNode s => JsonValue.Create(s.Value ?? ""),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlMappingNode map => new JsonObject(map.Children.Select(p =>
            KeyValuePair.Create(((YamlScalarNode)p.Key).Value ?? "", ToJson(p.Value)))),
        _ => null,
    };
}
