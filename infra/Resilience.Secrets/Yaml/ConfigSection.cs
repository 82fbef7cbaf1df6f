namespace Resilience.Secrets.Yaml;

/// <summary>One key of the config section: lines [Start, End) hold its key line and its whole value.</summary>
internal sealed record ConfigEntry(KeyLine Line, int Start, int End);

/// <summary>
/// Where the top-level <c>config:</c> block lies in a stack file and which lines belong to each of its keys.
/// A key's value runs over every following line indented deeper than the key, plus "- " items at the key's own
/// indent (a legal way to write a list); comments and blank lines after the value stay with what follows.
/// </summary>
internal sealed class ConfigSection
{
    public const string Name = "config";

    private ConfigSection(int header, KeyLine headerLine, int keyIndent, List<ConfigEntry> entries)
    {
        Header = header;
        HeaderLine = headerLine;
        KeyIndent = keyIndent;
        Entries = entries;
    }

    /// <summary>Index of the "config:" line.</summary>
    public int Header { get; }

    public KeyLine HeaderLine { get; }

    /// <summary>The indent of the section's keys; 0 when it has none yet.</summary>
    public int KeyIndent { get; }

    public IReadOnlyList<ConfigEntry> Entries { get; }

    /// <summary>"config:" with nothing, "{}", "~" or "null" after it: a block section (possibly empty).</summary>
    public static bool IsBlockHeader(KeyLine header) => header.Value is "" or "{}" or "~" or "null";

    public ConfigEntry? Find(string key) => Entries.FirstOrDefault(e => e.Line.Key == key);

    /// <summary>The section, or null when the file has no top-level config key.</summary>
    public static ConfigSection? Read(IReadOnlyList<StackLine> lines, string stackFile)
    {
        var header = TopLevel.Find(lines, Name);
        if (header is not var (index, headerLine)) return null;
        if (!IsBlockHeader(headerLine))
        {
            throw new StackFileException(stackFile,
                $"line {index + 1}: 'config' is written in flow style or as a scalar; only a block mapping can be edited");
        }

        var end = index + 1;
        while (end < lines.Count && !(lines[end].IsContent && lines[end].Indent == 0)) end++;

        var entries = new List<ConfigEntry>();
        var keyIndent = 0;
        for (var i = index + 1; i < end;)
        {
            var line = lines[i];
            if (!line.IsContent)
            {
                i++;
                continue;
            }
            if (keyIndent == 0) keyIndent = line.Indent;
            var key = line.Indent == keyIndent && !line.IsSequenceItem ? KeyLine.TryParse(line.Text, keyIndent) : null;
            if (key is null)
            {
                throw new StackFileException(stackFile, $"line {i + 1}: expected a 'key: value' line of the config section");
            }
            var valueEnd = ValueEnd(lines, i, end, keyIndent, key.HasBlockScalarValue);
            entries.Add(new ConfigEntry(key, i, valueEnd));
            i = valueEnd;
        }
        return new ConfigSection(index, headerLine, keyIndent, entries);
    }

    private static int ValueEnd(IReadOnlyList<StackLine> lines, int keyLine, int sectionEnd, int keyIndent, bool blockScalar)
    {
        var last = keyLine;
        for (var j = keyLine + 1; j < sectionEnd; j++)
        {
            var line = lines[j];
            if (line.IsBlank) continue;
            if (line.Indent > keyIndent)
            {
                // Inside a block scalar "# …" is text, not a comment.
                if (line.IsContent || blockScalar) last = j;
                continue;
            }
            if (line.IsComment) continue;
            if (line.Indent == keyIndent && line.IsSequenceItem)
            {
                last = j;
                continue;
            }
            break;
        }
        return last + 1;
    }
}

/// <summary>Finds top-level (column 0) keys.</summary>
internal static class TopLevel
{
    public static (int Index, KeyLine Line)? Find(IReadOnlyList<StackLine> lines, string name)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            if (!lines[i].IsContent || lines[i].Indent != 0) continue;
            if (KeyLine.TryParse(lines[i].Text, 0) is { } key && key.Key == name) return (i, key);
        }
        return null;
    }
}
