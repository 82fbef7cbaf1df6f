using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Resilience.Tests.Review;

/// <summary>The week 1 -> 2 preview, as a reviewer reads it: changed files as line diffs in --diff, --markdown and --json.</summary>
public sealed partial class PreviewDiffTests : IDisposable
{
    private readonly ReviewProject _p = new();

    public void Dispose() => _p.Dispose();

    [Fact]
    public void Week_2_shows_EdgeHubs_new_scrape_targets_as_added_lines_in_the_markdown_the_terminal_and_the_json()
    {
        _p.ApplyFiles("pc2", "edgehub/prometheus.yml");
        _p.MoveToWeek2();

        var markdown = _p.Cli("preview", "--stack", "pc2", "--markdown");
        Assert.True(markdown.ExitCode == 0, markdown.ToString());
        Assert.Contains("**EdgeHub:** +37 scrape targets (batch 1-3)", markdown.Stdout);
        Assert.Contains("**agent files:** +40", markdown.Stdout); // the pilots' files too: agent files need containers, so week 1 applied none
        var block = DiffBlockOf(markdown.Stdout, "edgehub/prometheus.yml");
        Assert.Contains($"+          agent: {ReviewProject.NewAgent}", block);
        Assert.Contains("+      - targets: [\"127.0.0.3:7204\"]", block);
        Assert.DoesNotContain(block, l => l.StartsWith('-')); // week 2 only adds targets

        var diff = _p.Cli("preview", "--stack", "pc2", "--diff");
        Assert.True(diff.ExitCode == 0, diff.ToString());
        Assert.Matches(AddedAgentLine(), diff.Stdout);
        Assert.Contains("content: +185 -0 lines", diff.Stdout);

        var json = JsonNode.Parse(_p.Cli("preview", "--stack", "pc2", "--json").Stdout)!;
        var change = ContentChange(json, "edgehub/prometheus.yml");
        Assert.Equal("changed", (string?)change["kind"]);
        var unified = ((string)change["diff"]!).Split('\n');
        Assert.Equal("--- a/edgehub/prometheus.yml", unified[0]);
        // The same diff in both: every line of the Markdown block is in the JSON, in order.
        Assert.Equal(block, unified.Skip(2).Where(l => l.Length > 0));
        Assert.Contains(json["review"]!.AsArray(), c => ((string)c!["text"]!).StartsWith("EdgeHub: +37 scrape targets (batch 1-3)", StringComparison.Ordinal));
    }

    [Fact]
    public void A_secret_inside_a_changed_file_is_masked_in_the_markdown_the_terminal_and_the_json()
    {
        const string password = "Hunter2+week/two";
        // natsPassword is the NATS credential of a stack without TLS and credential material
        _p.Project.Replace("Pulumi.yaml", "    default: auto", "    default: manual");
        _p.ApplyFiles("pc2", "edgehub/prometheus.yml", "nats/nats.conf");
        _p.MoveToWeek2();
        var set = _p.Cli("config", "set", "natsPassword", password, "--secret", "--stack", "pc2");
        Assert.True(set.ExitCode == 0, set.ToString());

        var outputs = new[] { "--markdown", "--diff", "--json" }.Select(mode => (mode, Result: _p.Cli("preview", "--stack", "pc2", mode))).ToList();
        foreach (var (mode, result) in outputs)
        {
            Assert.True(result.ExitCode == 0, $"{mode}: {result}");
            foreach (var form in new[] { password, Uri.EscapeDataString(password), "Hunter2" })
                Assert.False(result.Stdout.Contains(form, StringComparison.Ordinal), $"{mode} shows the password as '{form}'");
            Assert.Contains("[secret]", result.Stdout);
            Assert.Contains($"agent: {ReviewProject.NewAgent}", result.Stdout); // the plain file beside it is still diffed
        }
        // nats.conf now holds the password: the whole file is a secret, no line of it is diffed.
        var change = ContentChange(JsonNode.Parse(outputs[2].Result.Stdout)!, "nats/nats.conf");
        Assert.Equal("[secret]", (string?)change["new"]);
        Assert.Null(change["diff"]);
        Assert.Contains("content: [secret] (changed, not shown)", outputs[1].Result.Stdout);
    }

    /// <summary>The lines of the ```diff block in the file's &lt;details&gt;.</summary>
    public static List<string> DiffBlockOf(string markdown, string file)
    {
        var start = markdown.IndexOf($"<code>~ {file}</code>", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no <details> for {file} in:\n{markdown}");
        var open = markdown.IndexOf("```diff\n", start, StringComparison.Ordinal) + "```diff\n".Length;
        var close = markdown.IndexOf("\n```", open, StringComparison.Ordinal);
        return markdown[open..close].Split('\n').ToList();
    }

    private static JsonNode ContentChange(JsonNode plan, string file) =>
        plan["steps"]!.AsArray().Single(s => (string?)s!["name"] == file)!["changes"]!.AsArray().Single(c => (string?)c!["path"] == "content")!;

    [GeneratedRegex(@"^\s*\+\s+agent: Pc2Agent04$", RegexOptions.Multiline)]
    private static partial Regex AddedAgentLine();
}
