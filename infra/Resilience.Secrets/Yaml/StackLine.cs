namespace Resilience.Secrets.Yaml;

/// <summary>One physical line of a stack file, with the line ending it had (empty for a last line without one).</summary>
internal readonly record struct StackLine(string Text, string Ending)
{
    public int Indent
    {
        get
        {
            var i = 0;
            while (i < Text.Length && Text[i] == ' ') i++;
            return i;
        }
    }

    public bool IsBlank => string.IsNullOrWhiteSpace(Text);

    public bool IsComment => Text.TrimStart().StartsWith('#');

    public bool IsContent => !IsBlank && !IsComment;

    /// <summary>A block sequence entry ("- x" or a lone "-").</summary>
    public bool IsSequenceItem
    {
        get
        {
            var i = Indent;
            return IsContent && Text[i] == '-' && (i + 1 == Text.Length || Text[i + 1] is ' ' or '\t');
        }
    }

    public static List<StackLine> Split(string text)
    {
        var lines = new List<StackLine>();
        var start = 0;
        while (start < text.Length)
        {
            var newline = text.IndexOf('\n', start);
            if (newline < 0)
            {
                lines.Add(new StackLine(text[start..], ""));
                break;
            }
            var crlf = newline > start && text[newline - 1] == '\r';
            lines.Add(new StackLine(text[start..(crlf ? newline - 1 : newline)], crlf ? "\r\n" : "\n"));
            start = newline + 1;
        }
        return lines;
    }
}
