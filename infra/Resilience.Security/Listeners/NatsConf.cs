using System.Text;

namespace Resilience.Security.Listeners;

/// <summary>Values in nats-server's config syntax. Every string is double-quoted: unquoted, a bcrypt hash (<c>$2a$…</c>)
/// would be read as a variable reference.</summary>
public static class NatsConf
{
    public static string Quote(string value)
    {
        if (value.Any(char.IsControl)) throw new ArgumentException($"'{value}': a control character cannot be written in a NATS config");
        return "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
    }

    public static string List(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(Quote)) + "]";

    /// <summary>Indents every line of a rendered block, e.g. to put a <c>tls</c> block inside <c>leafnodes { }</c>.</summary>
    public static string Indent(string block, int spaces)
    {
        var pad = new string(' ', spaces);
        var builder = new StringBuilder();
        foreach (var line in block.TrimEnd('\n').Split('\n')) builder.Append(line.Length == 0 ? "" : pad).Append(line).Append('\n');
        return builder.ToString();
    }
}
