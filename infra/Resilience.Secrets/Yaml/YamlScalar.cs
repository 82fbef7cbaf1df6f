using System.Globalization;
using System.Text;

namespace Resilience.Secrets.Yaml;

/// <summary>Writes strings as YAML scalars that read back as the same string, and reads simple scalars back.</summary>
internal static class YamlScalar
{
    // Words some YAML schema (1.1 or 1.2 core) resolves to null or a boolean.
    private static readonly HashSet<string> NonStringWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "null", "~", "true", "false", "yes", "no", "on", "off", "y", "n",
    };

    /// <summary>The value plain when that is unambiguous, otherwise double-quoted.</summary>
    public static string Quote(string value) => IsSafePlain(value) ? value : DoubleQuoted(value);

    private static bool IsSafePlain(string value)
    {
        if (value.Length == 0 || NonStringWords.Contains(value)) return false;
        // A leading digit may read as a number or a date; a leading letter, '_' or '/' never starts an indicator.
        if (!(char.IsAsciiLetter(value[0]) || value[0] is '_' or '/')) return false;
        if (value[^1] is ' ' or ':') return false;
        if (value.Contains(": ", StringComparison.Ordinal) || value.Contains(" #", StringComparison.Ordinal)) return false;
        return value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/' or '@' or '+' or '=' or ':' or '~' or ' ');
    }

    private static string DoubleQuoted(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\0' => "\\0",
                '\t' => "\\t",
                '\n' => "\\n",
                '\r' => "\\r",
                '\u0085' => "\\N",
                '\u2028' => "\\L",
                '\u2029' => "\\P",
                '\uFEFF' => "\\uFEFF",
                < ' ' or '\u007F' => $"\\x{(int)c:X2}",
                _ => c.ToString(),
            });
        }
        return sb.Append('"').ToString();
    }

    /// <summary>
    /// Reads a one-line scalar written plain, single- or double-quoted (the forms stack files use); the text must
    /// already be stripped of any comment.
    /// </summary>
    public static string Unquote(string text)
    {
        text = text.Trim();
        if (text.Length >= 2 && text[0] == '\'' && text[^1] == '\'') return text[1..^1].Replace("''", "'", StringComparison.Ordinal);
        if (text.Length >= 2 && text[0] == '"' && text[^1] == '"') return UnescapeDoubleQuoted(text[1..^1]);
        return text;
    }

    private static string UnescapeDoubleQuoted(string body)
    {
        var sb = new StringBuilder(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] != '\\' || i + 1 == body.Length)
            {
                sb.Append(body[i]);
                continue;
            }
            var e = body[++i];
            switch (e)
            {
                case 'x': sb.Append(Hex(body, ref i, 2)); break;
                case 'u': sb.Append(Hex(body, ref i, 4)); break;
                case 'U': sb.Append(char.ConvertFromUtf32(int.Parse(body.AsSpan(i + 1, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture))); i += 8; break;
                default: sb.Append(SimpleEscape(e)); break;
            }
        }
        return sb.ToString();
    }

    private static char Hex(string body, ref int i, int digits)
    {
        var c = (char)int.Parse(body.AsSpan(i + 1, digits), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        i += digits;
        return c;
    }

    private static string SimpleEscape(char e) => e switch
    {
        '0' => "\0",
        'a' => "\a",
        'b' => "\b",
        't' or '\t' => "\t",
        'n' => "\n",
        'v' => "\v",
        'f' => "\f",
        'r' => "\r",
        'e' => "\u001B",
        ' ' => " ",
        'N' => "\u0085",
        '_' => "\u00A0",
        'L' => "\u2028",
        'P' => "\u2029",
        _ => e.ToString(), // '"', '\\', '/'
    };
}
