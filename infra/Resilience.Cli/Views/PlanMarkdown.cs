using System.Net;
using System.Text;
using Resilience.Engine.Planning;
using Resilience.Stack.Review;

namespace Resilience.Cli.Views;

/// <summary>
/// A plan as the Markdown of a pull-request comment: warnings and data loss first, then what changes per
/// component, the steps, and one collapsible unified diff per changed file. GitHub refuses a comment over
/// 65,536 characters, so diffs are cut per file and per stack, each cut saying what it left out.
/// </summary>
public static class PlanMarkdown
{
    /// <summary>The first line of every stack's section: the CI script reads the counts, the comment updater the marker.</summary>
    public const string Marker = "<!-- resilience-preview";

    public const int LinesPerFile = 200;

    /// <summary>Characters of diff text per stack; what does not fit is listed with its counts.</summary>
    public const int DiffBudget = 24_000;

    public static string Render(Plan plan, IReadOnlyList<ComponentChange>? review)
    {
        var dataLoss = plan.DataLoss.ToList();
        var md = new StringBuilder();
        md.AppendLine($"{Marker} stack={plan.Stack} changes={plan.Summary.Changes} warnings={plan.Warnings.Count} deletes-data={dataLoss.Count} -->");
        md.AppendLine($"### Preview of stack `{plan.Stack}`");
        md.AppendLine();
        foreach (var warning in plan.Warnings)
        {
            md.AppendLine($"> **WARNING:** {warning}");
            md.AppendLine();
        }
        foreach (var loss in dataLoss)
        {
            md.AppendLine($"> **⚠ deletes data:** {(loss.Kind == StepKind.Delete ? "deleting" : "replacing")} `{loss.Urn}` deletes the data it holds");
            md.AppendLine();
        }
        md.AppendLine(plan.HasChanges ? $"**{Counts(plan.Summary)}**" : "**No changes.**");
        md.AppendLine();
        if (plan.HasChanges)
        {
            if (review is not null)
            {
                foreach (var component in review)
                    md.AppendLine(component.Unchanged ? $"- {component.Component}: unchanged" : $"- **{component.Component}:** {string.Join("; ", component.Changes)}");
                md.AppendLine();
            }
            md.AppendLine("| | Type | Name | Plan | Changed inputs |");
            md.AppendLine("|---|---|---|---|---|");
            foreach (var step in plan.Steps.Where(s => s.Kind != StepKind.Same))
            {
                var keys = string.Join(", ", step.Keys.Select(k => $"`{k}`"));
                md.AppendLine($"| `{Symbols.Of(step.Kind)}` | {step.Type} | {step.Name} | {step.Kind.Name()}{(step.DeletesData ? " ⚠ deletes data" : "")} | {keys} |");
            }
            Files(plan, md);
            Others(plan, md);
        }
        foreach (var notice in plan.Notices) md.AppendLine($"> {notice}");
        return md.ToString();
    }

    /// <summary>One collapsible diff per changed multi-line input; updates first (they are what a reviewer must read), then deletes, then creates.</summary>
    private static void Files(Plan plan, StringBuilder md)
    {
        var budget = DiffBudget;
        var changes = plan.Steps.Where(s => s.Kind != StepKind.Same)
            .OrderBy(s => s.Kind switch { StepKind.Create => 2, StepKind.Delete => 1, _ => 0 })
            .SelectMany(s => s.Changes.Select(c => (Step: s, Change: new ChangeText(c))))
            .Where(x => x.Change.MultiLine)
            .ToList();
        if (changes.Count == 0) return;
        md.AppendLine();
        md.AppendLine("#### Changed files");
        var notShown = new List<string>();
        foreach (var (step, change) in changes)
        {
            var label = change.Change.Path == "content" ? step.Name : $"{step.Name} {change.Change.Path}";
            var lines = change.Diff.Lines.ToList();
            var shown = lines.Take(LinesPerFile).Select(l => l.Kind == '@' ? l.Text : l.ToString()).ToList();
            var size = shown.Sum(l => l.Length + 1);
            if (size > budget)
            {
                notShown.Add($"`{Symbols.Of(step.Kind)} {label}` ({change.Counts})");
                continue;
            }
            budget -= size;
            md.AppendLine();
            md.AppendLine($"<details><summary><code>{Symbols.Of(step.Kind)} {WebUtility.HtmlEncode(label)}</code> ({change.Counts}, {step.Kind.Name()})</summary>");
            md.AppendLine();
            md.AppendLine(Fence(shown) + "diff");
            foreach (var line in shown) md.AppendLine(line);
            md.AppendLine(Fence(shown));
            if (lines.Count > LinesPerFile) md.AppendLine($"… {Cut.LeftOut(lines.Skip(LinesPerFile))}");
            md.AppendLine("</details>");
        }
        if (notShown.Count > 0)
        {
            md.AppendLine();
            md.AppendLine($"Diffs of {notShown.Count} more files not shown, this comment's size limit is reached " +
                $"(`preview --diff --stack {plan.Stack}` or `preview --json` shows them): {string.Join(", ", notShown)}");
        }
    }

    /// <summary>The other inputs that changed, one line each, in one collapsible block.</summary>
    private static void Others(Plan plan, StringBuilder md)
    {
        var steps = plan.Steps.Where(s => s.Kind is StepKind.Update or StepKind.Reload or StepKind.Replace)
            .Select(s => (Step: s, Changes: s.Changes.Select(c => new ChangeText(c)).Where(c => !c.MultiLine).ToList()))
            .Where(x => x.Changes.Count > 0).ToList();
        if (steps.Count == 0) return;
        md.AppendLine();
        md.AppendLine("<details><summary>Other changed inputs</summary>");
        md.AppendLine();
        var lines = steps.SelectMany(x => x.Changes.Select(c => $"    {c.Change.Path}: {Short(c.Scalar)}").Prepend($"  {x.Step.Urn}")).ToList();
        md.AppendLine(Fence(lines));
        foreach (var line in lines) md.AppendLine(line);
        md.AppendLine(Fence(lines));
        md.AppendLine("</details>");
    }

    /// <summary>"37 to create, 4 to update, 23 unchanged".</summary>
    private static string Counts(ChangeSummary summary) => string.Join(", ",
        Enum.GetValues<StepKind>().Where(k => k != StepKind.Same && summary[k] > 0).Select(k => $"{summary[k]} to {k.Name()}")
            .Append($"{summary[StepKind.Same]} unchanged"));

    /// <summary>A code fence longer than any run of backticks inside, so a file holding ``` cannot end the block early.</summary>
    private static string Fence(IEnumerable<string> lines)
    {
        var longest = lines.Select(l => LongestRun(l, '`')).DefaultIfEmpty(0).Max();
        return new string('`', Math.Max(3, longest + 1));
    }

    private static int LongestRun(string text, char c)
    {
        int best = 0, run = 0;
        foreach (var ch in text) best = Math.Max(best, run = ch == c ? run + 1 : 0);
        return best;
    }

    private static string Short(string text) => text.Length > 200 ? text[..197] + "..." : text;
}
