using System.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Resilience.Tests.Review;

/// <summary>The CI files parse and call the comment script; the script writes the comment body from a real preview.</summary>
public sealed class PullRequestWorkflowTests
{
    private const string Script = "scripts/preview-comment";
    private const string Marker = "<!-- resilience-preview-comment -->";

    private static YamlMappingNode Load(string relative)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Path.Combine(RepoPaths.Root, relative))));
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    private static YamlNode At(YamlNode node, params string[] keys) =>
        keys.Aggregate(node, (n, k) => ((YamlMappingNode)n).Children[new YamlScalarNode(k)]);

    private static IEnumerable<string> Scalars(YamlNode node) => node switch
    {
        YamlScalarNode s => [s.Value ?? ""],
        YamlSequenceNode seq => seq.SelectMany(Scalars),
        YamlMappingNode map => map.Children.Values.SelectMany(Scalars),
        _ => [],
    };

    [Fact]
    public void The_github_workflow_previews_pull_requests_with_the_script_edits_one_comment_and_checks_drift_nightly()
    {
        var workflow = Load(".github/workflows/preview.yml");
        var on = (YamlMappingNode)At(workflow, "on");
        Assert.Contains(new YamlScalarNode("pull_request"), on.Children.Keys);
        Assert.Contains(new YamlScalarNode("schedule"), on.Children.Keys);
        var preview = string.Join("\n", Scalars(At(workflow, "jobs", "preview", "steps")));
        Assert.Contains(Script, preview);
        Assert.Contains(Marker, preview);
        Assert.Contains("updateComment", preview);
        Assert.Contains("exit 1", preview);
        Assert.Contains("secrets.PULUMI_CONFIG_PASSPHRASE", string.Join("\n", Scalars(At(workflow, "env"))));
        Assert.Contains("--expect-no-changes", string.Join("\n", Scalars(At(workflow, "jobs", "drift", "steps"))));
    }

    [Fact]
    public void The_gitlab_job_previews_merge_requests_with_the_script_edits_one_note_and_checks_drift_on_schedule()
    {
        var ci = Load(".gitlab-ci.yml");
        var preview = string.Join("\n", Scalars(At(ci, "preview", "script")));
        Assert.Contains(Script, preview);
        Assert.Contains(Marker, preview);
        Assert.Contains("--request PUT", preview);
        Assert.Contains("merge_request_event", string.Join("\n", Scalars(At(ci, "preview", "rules"))));
        Assert.Contains("schedule", string.Join("\n", Scalars(At(ci, "drift", "rules"))));
        Assert.Contains("--expect-no-changes", string.Join("\n", Scalars(At(ci, "drift", "script"))));
    }

    [Fact]
    public void The_script_writes_the_comment_of_the_week_2_change_from_a_real_preview()
    {
        using var p = new ReviewProject();
        p.ApplyFiles("pc2", "edgehub/prometheus.yml");
        p.MoveToWeek2();

        var (status, body, errors) = RunScript(p, []);
        Assert.True(status == 0, $"exit {status}\n{errors}\n{body}");
        Assert.StartsWith(Marker + "\n", body);
        Assert.Contains("### Preview of stack `mainpc`", body);
        Assert.Contains("### Preview of stack `pc2`", body);
        Assert.Contains("**EdgeHub:** +37 scrape targets (batch 1-3)", body);
        Assert.Contains($"+          agent: {ReviewProject.NewAgent}", PreviewDiffTests.DiffBlockOf(body, "edgehub/prometheus.yml"));
        Assert.DoesNotContain("Needs attention", body);
    }

    [Fact]
    public void A_mandatory_warning_fails_the_script_unless_a_reviewer_accepted_it()
    {
        using var p = new ReviewProject();
        p.Project.Replace("Pulumi.yaml", "    default: leafnode", "    default: two-node");

        var (status, body, errors) = RunScript(p, []);
        Assert.True(status == 1, $"exit {status}\n{errors}\n{body}");
        Assert.Contains("**Needs attention:** 2 warning(s)", body);
        Assert.Contains("> **WARNING:** resilience:natsTopology is two-node", body);

        var accepted = RunScript(p, new() { ["RESILIENCE_ACCEPT_WARNINGS"] = "true" });
        Assert.True(accepted.Status == 0, accepted.Body);
        Assert.Contains("accepted by the preview-warnings-accepted label", accepted.Body);
    }

    [Fact]
    public void A_preview_that_fails_puts_its_error_in_the_comment_and_fails_the_script()
    {
        using var p = new ReviewProject();
        var (status, body, _) = RunScript(p, new() { ["RESILIENCE_STACKS"] = "pc2 witness" });
        Assert.Equal(2, status);
        Assert.Contains("### Preview of stack `witness` failed", body);
        Assert.Contains("Pulumi.witness.yaml: line 5: resilience:machine", body);
    }

    private static (int Status, string Body, string Errors) RunScript(ReviewProject p, Dictionary<string, string> env)
    {
        var info = new ProcessStartInfo(Path.Combine(RepoPaths.Root, Script)) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = p.Project.Dir };
        info.Environment["RESILIENCE_PROJECT"] = p.Project.Dir;
        info.Environment["RESILIENCE_CLI"] = ReviewProject.CliCommand;
        info.Environment["PULUMI_CONFIG_PASSPHRASE"] = ReviewProject.Passphrase;
        info.Environment["NO_COLOR"] = "1";
        info.Environment.Remove("GITHUB_SHA");
        info.Environment.Remove("CI_COMMIT_SHORT_SHA");
        foreach (var (k, v) in env) info.Environment[k] = v;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), "scripts/preview-comment did not finish");
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
