using YamlDotNet.RepresentationModel;

namespace Resilience.Tests.Secrets;

/// <summary>Reads an edited stack file back with a real YAML parser, independent of the editor's own line scanning.</summary>
internal static class StackFileYaml
{
    public static YamlMappingNode Root(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    public static YamlMappingNode Config(string text) => (YamlMappingNode)Root(text).Children[new YamlScalarNode("config")];

    public static YamlScalarNode Scalar(string text, string key) => (YamlScalarNode)Config(text).Children[new YamlScalarNode(key)];

    public static string Secure(string text, string key)
    {
        var value = (YamlMappingNode)Config(text).Children[new YamlScalarNode(key)];
        return ((YamlScalarNode)value.Children[new YamlScalarNode("secure")]).Value!;
    }

    public static string? TopLevel(string text, string key) =>
        Root(text).Children.TryGetValue(new YamlScalarNode(key), out var node) ? ((YamlScalarNode)node).Value : null;
}

/// <summary>A stack file in its own temporary folder, removed afterwards.</summary>
internal sealed class TempStack : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("resilience-secrets-").FullName;

    public TempStack(string? text = null)
    {
        Path = System.IO.Path.Combine(_dir, "Pulumi.pc2.yaml");
        if (text is not null) File.WriteAllText(Path, text);
    }

    public string Path { get; }

    public string Text => File.ReadAllText(Path);

    public IEnumerable<string> FolderEntries => Directory.EnumerateFileSystemEntries(_dir).Select(System.IO.Path.GetFileName)!;

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
