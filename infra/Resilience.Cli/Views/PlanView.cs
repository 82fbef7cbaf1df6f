using System.Text;
using Resilience.Engine.Planning;
using Spectre.Console;

namespace Resilience.Cli.Views;

/// <summary>Shows a plan the way `pulumi preview` does, optionally property by property, or as Markdown.</summary>
public static class PlanView
{
    public static void Print(IAnsiConsole console, Plan plan, bool diff, string verb = "Previewing update")
    {
        console.MarkupLine($"[bold]{verb}[/] ([aqua]{Markup.Escape(plan.Stack)}[/]):");
        foreach (var notice in plan.Notices) console.MarkupLine($"  [yellow]note:[/] {Markup.Escape(notice)}");
        PrintWarnings(console, plan.Warnings);
        var table = new Table().NoBorder().HideHeaders().AddColumns("", "type", "name", "plan", "info");
        foreach (var step in plan.Steps.Where(s => s.Kind != StepKind.Same || diff && s.RecordChanged))
        {
            var colour = Symbols.Colour(step.Kind);
            table.AddRow(
                $"[{colour}]{Symbols.Of(step.Kind)}[/]",
                Markup.Escape(step.Type),
                Markup.Escape(step.Name),
                $"[{colour}]{step.Kind.Name()}{(step.Kind == StepKind.Replace && step.DeleteBeforeReplace ? " (delete first)" : "")}[/]",
                Info(step));
            if (diff)
            {
                foreach (var change in step.Changes)
                {
                    table.AddRow("", "", $"[grey]{Markup.Escape(change.Path)}[/]", "", Markup.Escape(ChangeText(change)));
                }
            }
        }
        console.Write(table);
        foreach (var loss in plan.DataLoss)
            console.MarkupLine($"[red bold]warning:[/] {(loss.Kind == StepKind.Delete ? "deleting" : "replacing")} {Markup.Escape(loss.Urn)} deletes the data it holds");
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

    public static string Markdown(Plan plan)
    {
        var md = new StringBuilder();
        md.AppendLine($"### Preview of stack `{plan.Stack}`");
        md.AppendLine();
        foreach (var warning in plan.Warnings)
        {
            md.AppendLine($"> **WARNING:** {warning}");
            md.AppendLine();
        }
        md.AppendLine(plan.HasChanges ? $"**{plan.Summary}**" : "**No changes.**");
        md.AppendLine();
        if (plan.HasChanges)
        {
            md.AppendLine("| | Type | Name | Plan | Changed inputs |");
            md.AppendLine("|---|---|---|---|---|");
            foreach (var step in plan.Steps.Where(s => s.Kind != StepKind.Same))
            {
                var keys = string.Join(", ", step.Keys.Select(k => $"`{k}`"));
                md.AppendLine($"| `{Symbols.Of(step.Kind)}` | {step.Type} | {step.Name} | {step.Kind.Name()}{(step.DeletesData ? " ⚠ deletes data" : "")} | {keys} |");
            }
            var withChanges = plan.Steps.Where(s => s.Changes.Count > 0).ToList();
            if (withChanges.Count > 0)
            {
                md.AppendLine();
                md.AppendLine("<details><summary>Property changes</summary>");
                md.AppendLine();
                md.AppendLine("```diff");
                foreach (var step in withChanges)
                {
                    md.AppendLine($"  {step.Urn}");
                    foreach (var c in step.Changes) md.AppendLine(DiffLine(c));
                }
                md.AppendLine("```");
                md.AppendLine("</details>");
            }
        }
        foreach (var notice in plan.Notices) md.AppendLine($"> {notice}");
        return md.ToString();
    }

    private static string Info(PlanStep step)
    {
        var parts = new List<string>();
        if (step.Keys.Count > 0) parts.Add($"[[{(step.Kind == StepKind.Replace ? "forces replace" : "diff")}: {Markup.Escape(string.Join(", ", step.Keys))}]]");
        if (step.DeletesData) parts.Add("[red]deletes data[/]");
        if (step.Orphan) parts.Add("[grey]left over from an interrupted replace[/]");
        return string.Join(" ", parts);
    }

    private static string ChangeText(PropertyChange c) => c.Kind switch
    {
        ChangeKind.Added => $"+ {Short(c.New)}",
        ChangeKind.Removed => $"- {Short(c.Old)}",
        _ => $"{Short(c.Old)} => {Short(c.New)}",
    };

    private static string DiffLine(PropertyChange c) => c.Kind switch
    {
        ChangeKind.Added => $"+     {c.Path}: {Short(c.New)}",
        ChangeKind.Removed => $"-     {c.Path}: {Short(c.Old)}",
        _ => $"-     {c.Path}: {Short(c.Old)}\n+     {c.Path}: {Short(c.New)}",
    };

    /// <summary>One line per value; long file contents are cut, since --json carries them whole.</summary>
    private static string Short(System.Text.Json.Nodes.JsonNode? node)
    {
        var text = node?.ToJsonString() ?? "null";
        return text.Length > 120 ? text[..117] + "..." : text;
    }
}
