namespace Resilience.Secrets.Yaml;

/// <summary>
/// A "key: value # comment" line of a block mapping, split into its parts.
/// <see cref="KeyText"/> is the key as written (quotes included) through its colon, so a rewrite can keep it.
/// </summary>
internal sealed record KeyLine(string Key, string KeyText, string Value, string? Comment)
{
    public bool HasBlockScalarValue => Value.StartsWith('|') || Value.StartsWith('>');

    public static KeyLine? TryParse(string text, int indent)
    {
        if (indent >= text.Length) return null;
        var colon = text[indent] is '"' or '\'' ? QuotedKeyColon(text, indent) : PlainKeyColon(text, indent);
        if (colon < 0) return null;

        string key;
        try
        {
            key = YamlScalar.Unquote(text[indent..colon]);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return null; // a malformed escape: not a key we can match
        }
        var rest = text[(colon + 1)..];
        var hash = CommentStart(rest);
        var value = (hash < 0 ? rest : rest[..hash]).Trim();
        return new KeyLine(key, text[indent..(colon + 1)], value, hash < 0 ? null : rest[hash..]);
    }

    private static int QuotedKeyColon(string text, int start)
    {
        var close = ClosingQuote(text, start);
        if (close < 0) return -1;
        var i = close + 1;
        while (i < text.Length && text[i] is ' ' or '\t') i++;
        return i < text.Length && text[i] == ':' && EndsIndicator(text, i) ? i : -1;
    }

    private static int PlainKeyColon(string text, int start)
    {
        if (text[start] is '#' or '-' or '?' or '[' or '{' or '&' or '*' or '!' or '|' or '>' or '%' or '@' or '`') return -1;
        for (var i = start; i < text.Length; i++)
        {
            if (text[i] == '#' && text[i - 1] is ' ' or '\t') return -1;
            if (text[i] == ':' && EndsIndicator(text, i)) return i;
        }
        return -1;
    }

    private static bool EndsIndicator(string text, int colon) => colon + 1 == text.Length || text[colon + 1] is ' ' or '\t';

    private static int ClosingQuote(string text, int open)
    {
        var quote = text[open];
        for (var i = open + 1; i < text.Length; i++)
        {
            if (quote == '"' && text[i] == '\\') i++;
            else if (quote == '\'' && text[i] == '\'' && i + 1 < text.Length && text[i + 1] == '\'') i++;
            else if (text[i] == quote) return i;
        }
        return -1;
    }

    /// <summary>Where a "#" comment starts in the text after a key's colon, outside quotes; -1 when there is none.</summary>
    private static int CommentStart(string rest)
    {
        for (var i = 0; i < rest.Length; i++)
        {
            var startsToken = i == 0 || rest[i - 1] is ' ' or '\t' or '[' or '{' or ',';
            if (rest[i] is '"' or '\'' && startsToken)
            {
                var close = ClosingQuote(rest, i);
                if (close < 0) return -1;
                i = close;
            }
            else if (rest[i] == '#' && i > 0 && rest[i - 1] is ' ' or '\t')
            {
                return i;
            }
        }
        return -1;
    }
}
