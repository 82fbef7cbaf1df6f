using System.Text;
using Resilience.Model;

namespace Resilience.Pulumi;

/// <summary>
/// Pulumi YAML resource names for graph resources. A name is also what `${name.property}` refers to, so it keeps
/// to letters, digits, '-' and '_' (a '.' or '/' would read as property access), prefixed by the kind because
/// graph names are unique per type only.
/// </summary>
public static class ResourceKeys
{
    public static string For(Resource resource) => For(resource.Type, resource.Name);

    public static string For(string type, string name)
    {
        var kind = type[(type.IndexOf(':') + 1)..];
        return Clean($"{kind}-{name}");
    }

    public static string Provider(string machine) => Clean($"docker-{machine}");

    public static string Ready(Resource container) => Clean($"ready-{container.Name}");

    public static string Reload(Resource container) => Clean($"reload-{container.Name}");

    private static string Clean(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text) sb.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-');
        return sb.ToString();
    }
}
