using System.Text;
using System.Text.Json.Nodes;
using Resilience.Operations.Gates;
using Spectre.Console;

namespace Resilience.Cli.Views;

/// <summary>A gate's verdict for people (a table), for machines (JSON) and for a pull request (Markdown).</summary>
public static class GateView
{
    public static void Print(IAnsiConsole console, GateResult result)
    {
        var table = new Table().AddColumns("Check", "Value", "Condition", "onNoData", "Result");
        foreach (var c in result.Checks)
        {
            var detail = c.Phase == Phase.Passed || c.Detail is null ? "" : $"\n[grey]{Markup.Escape(c.Detail)}[/]";
            table.AddRow(Markup.Escape(c.Name), Markup.Escape(c.Value), Markup.Escape(c.Condition), c.OnNoData,
                $"{PhaseMarkup(c.Phase)} ({c.Measurements.Count(m => m.Phase == Phase.Passed)}/{c.Measurements.Count}){detail}");
        }
        console.MarkupLine($"[bold]Gate {Markup.Escape(result.Gate)}[/] ({Markup.Escape(Path.GetFileName(result.File))}, stack {Markup.Escape(result.Stack)}, " +
            $"{(result.Finished - result.Started).TotalSeconds:0.0}s)");
        console.Write(table);
        var notPassed = result.Blocking.Select(c => c.Name).ToList();
        console.MarkupLine(result.Go
            ? "[green bold]Go[/]: every check passed"
            : $"[red bold]No-Go[/]: {Markup.Escape(string.Join(", ", notPassed))}");
    }

    public static JsonObject Json(GateResult result) => new()
    {
        ["gate"] = result.Gate,
        ["file"] = result.File,
        ["stack"] = result.Stack,
        ["verdict"] = result.Verdict,
        ["go"] = result.Go,
        ["started"] = result.Started.ToString("O"),
        ["finished"] = result.Finished.ToString("O"),
        ["checks"] = new JsonArray(result.Checks.Select(c => (JsonNode?)new JsonObject
        {
            ["name"] = c.Name,
            ["description"] = c.Description,
            ["measures"] = c.Measures,
            ["condition"] = c.Condition,
            ["onNoData"] = c.OnNoData,
            ["result"] = c.Phase.ToString().ToLowerInvariant(),
            ["value"] = c.Value,
            ["detail"] = c.Detail,
            ["failureLimit"] = c.FailureLimit,
            ["inconclusiveLimit"] = c.InconclusiveLimit,
            ["measurements"] = new JsonArray(c.Measurements.Select(m => (JsonNode?)new JsonObject
            {
                ["at"] = m.At.ToString("O"),
                ["result"] = m.Phase.ToString().ToLowerInvariant(),
                ["value"] = m.Value,
                ["detail"] = m.Detail,
            }).ToArray()),
        }).ToArray()),
    };

    public static string Markdown(GateResult result)
    {
        var md = new StringBuilder();
        md.AppendLine($"### Gate `{result.Gate}` on `{result.Stack}`: **{result.Verdict}**").AppendLine();
        md.AppendLine("| check | value | condition | onNoData | result |").AppendLine("| --- | --- | --- | --- | --- |");
        foreach (var c in result.Checks)
        {
            var detail = c.Phase == Phase.Passed || c.Detail is null ? "" : $"<br>{Cell(c.Detail)}";
            md.AppendLine($"| {Cell(c.Name)} | {Cell(c.Value)} | `{Cell(c.Condition)}` | {c.OnNoData} | {Symbol(c.Phase)} {c.Phase.ToString().ToLowerInvariant()}{detail} |");
        }
        return md.ToString();
    }

    public static string PhaseMarkup(Phase phase) => phase switch
    {
        Phase.Passed => "[green]pass[/]",
        Phase.Failed => "[red]fail[/]",
        _ => "[yellow]inconclusive[/]",
    };

    private static string Symbol(Phase phase) => phase switch { Phase.Passed => "✅", Phase.Failed => "❌", _ => "⚠️" };

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
