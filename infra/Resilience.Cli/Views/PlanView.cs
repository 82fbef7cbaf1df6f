using Resilience.Engine.Planning;
using Resilience.Stack.Review;
using Spectre.Console;

namespace Resilience.Cli.Views;

/// <summary>Shows a plan the way `pulumi preview` does, optionally property by property with files as line diffs.</summary>
public static class PlanView
{
    /// <summary>Diff lines shown per changed file in a terminal before the rest is counted instead.</summary>
    public const int TerminalLinesPerFile = 60;

    /// <param name="review">What the plan does per component, shown first; none when null.</param>
    public static void Print(IAnsiConsole console, Plan plan, bool diff, string verb = "Previewing update", IReadOnlyList<ComponentChange>? review = null)
    {
        console.MarkupLine($"[bold]{verb}[/] ([aqua]{Markup.Escape(plan.Stack)}[/]):");
        foreach (var notice in plan.Notices) console.MarkupLine($"  [yellow]note:[/] {Markup.Escape(notice)}");
        PrintWarnings(console, plan.Warnings);
        foreach (var loss in plan.DataLoss)
            console.MarkupLine($"[red bold]warning:[/] {(loss.Kind == StepKind.Delete ? "deleting" : "replacing")} {Markup.Escape(loss.Urn)} deletes the data it holds");
        if (review is not null && plan.HasChanges)
        {
            foreach (var component in review)
                console.MarkupLine(component.Unchanged ? $"  [grey]{Markup.Escape(component.ToString())}[/]" : $"  [bold]{Markup.Escape(component.Component)}:[/] {Markup.Escape(string.Join("; ", component.Changes))}");
        }
        if (diff) PrintSteps(console, plan);
        else PrintTable(console, plan);
        console.MarkupLine("[bold]Resources:[/]");
        var summary = plan.Summary;
        foreach (var kind in new[] { StepKind.Create, StepKind.Update, StepKind.Reload, StepKind.Replace, StepKind.Delete })
        {
            if (summary[kind] > 0) console.MarkupLine($"    [{Symbols.Colour(kind)}]{Symbols.Of(kind)} {summary[kind]} to {kind.Name()}[/]");
        }
        console.MarkupLine($"    {summary[StepKind.Same]} unchanged");
    }

    /// <summary>The program's warnings, in the words it chose: one bold line each.</summary>
    public static void PrintWarnings(IAnsiConsole console, IEnumerable<string> warnings)
    {
        foreach (var warning in warnings) console.MarkupLine($"[yellow bold]WARNING:[/] {Markup.Escape(warning)}");
    }

    /// <summary>The Markdown of a pull-request comment (see <see cref="PlanMarkdown"/>).</summary>
    public static string Markdown(Plan plan, IReadOnlyList<ComponentChange>? review = null) => PlanMarkdown.Render(plan, review);

    private static void PrintTable(IAnsiConsole console, Plan plan)
    {
        var table = new Table().NoBorder().HideHeaders().AddColumns("", "type", "name", "plan", "info");
        foreach (var step in plan.Steps.Where(s => s.Kind != StepKind.Same))
        {
            var colour = Symbols.Colour(step.Kind);
            table.AddRow($"[{colour}]{Symbols.Of(step.Kind)}[/]", Markup.Escape(step.Type), Markup.Escape(step.Name), $"[{colour}]{KindText(step)}[/]", Info(step));
        }
        console.Write(table);
    }

    /// <summary>One line per step, then its changed inputs below it at full width: files as unified diffs.</summary>
    private static void PrintSteps(IAnsiConsole console, Plan plan)
    {
        var width = Math.Max(40, console.Profile.Width);
        foreach (var step in plan.Steps.Where(s => s.Kind != StepKind.Same || s.RecordChanged))
        {
            var colour = Symbols.Colour(step.Kind);
            console.MarkupLine($"[{colour}]{Symbols.Of(step.Kind),-2} {Markup.Escape(step.Type)} {Markup.Escape(step.Name)} {KindText(step)}[/] {Info(step)}");
            foreach (var change in step.Changes.Select(c => new ChangeText(c)))
            {
                var label = $"    {change.Change.Path}: ";
                if (!change.MultiLine)
                {
                    console.MarkupLine($"[grey]{Markup.Escape(label)}[/]{Markup.Escape(Fit(change.Scalar, width - label.Length))}");
                    continue;
                }
                console.MarkupLine($"[grey]{Markup.Escape(label)}{change.Counts}[/]");
                var lines = change.Diff.Lines.ToList();
                foreach (var line in lines.Take(TerminalLinesPerFile))
                {
                    var text = Markup.Escape(Fit("      " + (line.Kind == '@' ? line.Text : line.ToString()), width));
                    console.MarkupLine(line.Kind switch
                    {
                        '+' => $"[green]{text}[/]",
                        '-' => $"[red]{text}[/]",
                        '@' => $"[aqua]{text}[/]",
                        _ => $"[grey]{text}[/]",
                    });
                }
                if (lines.Count > TerminalLinesPerFile)
                    console.MarkupLine($"[yellow]{Markup.Escape(Fit($"      … {Cut.LeftOut(lines.Skip(TerminalLinesPerFile))}", width))}[/]");
            }
        }
    }

    /// <summary>A line cut to the width with an ellipsis, so a terminal never wraps it.</summary>
    private static string Fit(string text, int width)
    {
        text = text.Replace("\t", "    ", StringComparison.Ordinal);
        return width < 2 || text.Length <= width ? text : text[..(width - 1)] + "…";
    }

    private static string KindText(PlanStep step) =>
        $"{step.Kind.Name()}{(step.Kind == StepKind.Replace && step.DeleteBeforeReplace ? " (delete first)" : "")}";

    private static string Info(PlanStep step)
    {
        var parts = new List<string>();
        if (step.Keys.Count > 0) parts.Add($"[[{(step.Kind == StepKind.Replace ? "forces replace" : "diff")}: {Markup.Escape(string.Join(", ", step.Keys))}]]");
        if (step.DeletesData) parts.Add("[red]deletes data[/]");
        if (step.Orphan) parts.Add("[grey]left over from an interrupted replace[/]");
        if (step.Retain) parts.Add("[grey]retained: forgotten, not deleted (its data stays)[/]");
        return string.Join(" ", parts);
    }
}
