using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Resilience.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Resilience.Pulumi;

/// <summary>
/// Builds the YAML nodes of a Pulumi YAML program. Pulumi YAML interpolates every string (`${...}`, with `$$` for
/// a literal `$`), so literal text is escaped here and only <see cref="Ref"/> produces an interpolation.
/// </summary>
public static partial class YamlValues
{
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
    };

    /// <summary>A literal string: never interpolated, always read back as a string.</summary>
    public static YamlScalarNode Literal(string text) => Scalar(text.Replace("$", "$$", StringComparison.Ordinal));

    /// <summary>An output of another resource (or the resource itself when <paramref name="property"/> is null).</summary>
    public static YamlScalarNode Ref(string resourceKey, string? property = null) =>
        Scalar(property is null ? $"${{{resourceKey}}}" : $"${{{resourceKey}.{property}}}");

    public static YamlScalarNode Number(long value) => new(value.ToString(System.Globalization.CultureInfo.InvariantCulture)) { Style = ScalarStyle.Plain };

    public static YamlScalarNode Bool(bool value) => new(value ? "true" : "false") { Style = ScalarStyle.Plain };

    /// <summary>Marks a value secret: Pulumi encrypts it in state and masks it in output.</summary>
    public static YamlMappingNode MarkSecret(YamlNode value) => new() { { "fn::secret", value } };

    /// <summary>Literal text that is a secret when <paramref name="secret"/> is set.</summary>
    public static YamlNode Text(string text, bool secret) => secret ? MarkSecret(Literal(text)) : Literal(text);

    public static YamlSequenceNode List(IEnumerable<YamlNode> items) => new(items);

    /// <summary>Converts resource inputs to YAML: strings literal, secrets (<see cref="Secret"/>) as `fn::secret`.</summary>
    public static YamlNode FromJson(JsonNode? node) => node switch
    {
        null => new YamlScalarNode("null") { Style = ScalarStyle.Plain },
        JsonObject o when Secret.IsSecret(o) => MarkSecret(FromJson(o[Secret.Key])),
        JsonObject o => new YamlMappingNode(o.Select(p => KeyValuePair.Create<YamlNode, YamlNode>(new YamlScalarNode(p.Key), FromJson(p.Value)))),
        JsonArray a => new YamlSequenceNode(a.Select(FromJson)),
        JsonValue v when v.TryGetValue<string>(out var s) => Literal(s),
        JsonValue v when v.TryGetValue<bool>(out var b) => Bool(b),
        JsonValue v when v.TryGetValue<long>(out var l) => Number(l),
        _ => new YamlScalarNode(node.ToJsonString()) { Style = ScalarStyle.Plain },
    };

    /// <summary>Plain style only where YAML reads the text back as the same string; quoted or literal block otherwise.</summary>
    private static YamlScalarNode Scalar(string text)
    {
        var style = text.Contains('\n') ? ScalarStyle.Literal
            : SafePlain().IsMatch(text) && !Reserved.Contains(text) ? ScalarStyle.Plain
            : ScalarStyle.DoubleQuoted;
        return new YamlScalarNode(text) { Style = style };
    }

    [GeneratedRegex(@"^[A-Za-z/][A-Za-z0-9_./@+-]*(:[A-Za-z0-9_./@+-]+)*$")]
    private static partial Regex SafePlain();
}
