using System.Text.Json.Nodes;
using Resilience.Cli.Views;
using Resilience.Engine.Planning;
using Spectre.Console;

namespace Resilience.Tests.Review;

/// <summary>A 2,000-line file change: cut with a count in the terminal and the Markdown, whole in the JSON.</summary>
public sealed class LongDiffTests
{
    private static readonly string Old = string.Concat(Enumerable.Range(1, 2000).Select(i => $"line {i}\n"));
    private static readonly string New = string.Concat(Enumerable.Range(1, 2000).Select(i => $"line {i} changed\n"));

    private static Plan LongPlan() => new("pc2",
    [
        new PlanStep
        {
            Index = 0,
            Urn = "urn:resilience:pc2::file:file::big.yml",
            Type = "file:file",
            Name = "big.yml",
            Kind = StepKind.Update,
            Keys = ["content"],
            Changes = [new PropertyChange("content", ChangeKind.Changed, JsonValue.Create(Old), JsonValue.Create(New))],
        },
    ], []);

    [Fact]
    public void The_terminal_diff_shows_the_first_lines_and_counts_the_rest()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 100;
        PlanView.Print(console, LongPlan(), diff: true);
        var text = output.ToString();
        Assert.Contains("content: +2000 -2000 lines", text);
        Assert.Contains("-line 1", text);
        Assert.DoesNotContain("line 2000", text);
        // 4,000 changed lines and one hunk header; the header and 59 lines are shown.
        Assert.Contains($"… {4000 - (PlanView.TerminalLinesPerFile - 1)} more diff lines not shown (+", text);
    }

    [Fact]
    public void The_markdown_diff_is_cut_with_a_count_of_what_was_left_out()
    {
        var md = PlanView.Markdown(LongPlan());
        var block = PreviewDiffTests.DiffBlockOf(md, "big.yml");
        Assert.Equal(PlanMarkdown.LinesPerFile, block.Count);
        Assert.Contains($"… {4000 - (PlanMarkdown.LinesPerFile - 1)} more diff lines not shown", md);
        Assert.DoesNotContain("line 2000", md);
    }

    [Fact]
    public void The_json_carries_the_whole_diff()
    {
        var json = JsonNode.Parse(PlanJson.Render(LongPlan()))!;
        var diff = ((string)json["steps"]![0]!["changes"]![0]!["diff"]!).Split('\n');
        Assert.Equal(2000, diff.Count(l => l.StartsWith("+line ", StringComparison.Ordinal)));
        Assert.Equal(2000, diff.Count(l => l.StartsWith("-line ", StringComparison.Ordinal)));
        Assert.Contains("+line 2000 changed", diff);
        Assert.Equal("@@ -1,2000 +1,2000 @@", diff[2]);
    }

    [Fact]
    public void A_one_line_change_in_a_long_file_is_a_hunk_with_three_lines_of_context_like_diff_u()
    {
        var changed = Old.Replace("line 1000\n", "line 1000 edited\n", StringComparison.Ordinal);
        var diff = TextDiff.Between(Old, changed);
        var hunk = Assert.Single(diff.Hunks);
        Assert.Equal("@@ -997,7 +997,7 @@", hunk.Header);
        Assert.Equal([" line 997", " line 998", " line 999", "-line 1000", "+line 1000 edited", " line 1001", " line 1002", " line 1003"],
            hunk.Lines.Select(l => l.ToString()));
    }
}
