using System.Text;
using DiffPlex;
using DiffPlex.Chunkers;

namespace Resilience.Cli.Views;

/// <summary>One line of a unified diff: ' ' context, '+' added, '-' removed.</summary>
public sealed record DiffLine(char Kind, string Text)
{
    public override string ToString() => $"{Kind}{Text}";
}

/// <summary>One "@@ -a,b +c,d @@" block of a unified diff.</summary>
public sealed record DiffHunk(int OldStart, int OldCount, int NewStart, int NewCount, IReadOnlyList<DiffLine> Lines)
{
    // Unified diff numbers lines from 1; an empty range is numbered by the line before it.
    public string Header => $"@@ -{Range(OldStart, OldCount)} +{Range(NewStart, NewCount)} @@";

    private static string Range(int start, int count) => $"{(count == 0 ? start : start + 1)},{count}";
}

/// <summary>The line diff of two texts (DiffPlex's), shaped as unified-diff hunks with context.</summary>
public sealed class TextDiff
{
    private TextDiff(IReadOnlyList<DiffHunk> hunks) => Hunks = hunks;

    public IReadOnlyList<DiffHunk> Hunks { get; }
    public int Added => Hunks.Sum(h => h.Lines.Count(l => l.Kind == '+'));
    public int Removed => Hunks.Sum(h => h.Lines.Count(l => l.Kind == '-'));

    /// <summary>Every line a full rendering shows: hunk headers as '@' lines, then the hunk's lines.</summary>
    public IEnumerable<DiffLine> Lines => Hunks.SelectMany(h => h.Lines.Prepend(new DiffLine('@', h.Header)));

    /// <param name="old">Null for a file that did not exist.</param>
    /// <param name="new">Null for a file that is deleted.</param>
    public static TextDiff Between(string? old, string? @new, int context = 3)
    {
        var result = Differ.Instance.CreateDiffs(WithoutFinalNewline(old), WithoutFinalNewline(@new), false, false, LineChunker.Instance);
        var a = result.PiecesOld;
        var b = result.PiecesNew;
        var blocks = result.DiffBlocks.ToList();
        var hunks = new List<DiffHunk>();
        for (var first = 0; first < blocks.Count;)
        {
            // Blocks closer than two contexts apart share one hunk, as diff -u does.
            var last = first;
            while (last + 1 < blocks.Count && blocks[last + 1].DeleteStartA - (blocks[last].DeleteStartA + blocks[last].DeleteCountA) <= 2 * context) last++;
            var oldStart = Math.Max(0, blocks[first].DeleteStartA - context);
            var newStart = blocks[first].InsertStartB - (blocks[first].DeleteStartA - oldStart);
            var lines = new List<DiffLine>();
            int i = oldStart, j = newStart;
            for (var k = first; k <= last; k++)
            {
                var block = blocks[k];
                for (; i < block.DeleteStartA && i < a.Count; i++, j++) lines.Add(new DiffLine(' ', a[i]));
                for (var d = 0; d < block.DeleteCountA && block.DeleteStartA + d < a.Count; d++) lines.Add(new DiffLine('-', a[block.DeleteStartA + d]));
                for (var n = 0; n < block.InsertCountB && block.InsertStartB + n < b.Count; n++) lines.Add(new DiffLine('+', b[block.InsertStartB + n]));
                i = block.DeleteStartA + block.DeleteCountA;
                j = block.InsertStartB + block.InsertCountB;
            }
            var end = Math.Min(a.Count, i + context);
            for (; i < end; i++, j++) lines.Add(new DiffLine(' ', a[i]));
            var oldCount = lines.Count(l => l.Kind != '+');
            var newCount = lines.Count(l => l.Kind != '-');
            if (lines.Any(l => l.Kind != ' ')) hunks.Add(new DiffHunk(oldStart, oldCount, newStart, newCount, lines));
            first = last + 1;
        }
        return new TextDiff(hunks);
    }

    /// <summary>The whole diff in unified format, as `diff -u` and `git apply` read it.</summary>
    public string ToUnified(string label)
    {
        var text = new StringBuilder();
        text.Append("--- a/").Append(label).Append('\n');
        text.Append("+++ b/").Append(label).Append('\n');
        foreach (var line in Lines) text.Append(line.Kind == '@' ? line.Text : line.ToString()).Append('\n');
        return text.ToString();
    }

    /// <summary>A text's final newline ends its last line; it does not start an empty one.</summary>
    private static string WithoutFinalNewline(string? text) =>
        string.IsNullOrEmpty(text) ? "" : text.EndsWith('\n') ? text[..^1] : text;
}
