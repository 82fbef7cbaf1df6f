using System.CommandLine;
using System.ComponentModel;
using System.Diagnostics;
using Resilience.Cli.Views;
using Resilience.Engine.Planning;
using Resilience.Stack.Config;

namespace Resilience.Cli.Commands;

/// <summary>`graph`: a picture of one or more stacks, machine by machine, with the data paths between them.</summary>
public static class GraphCommand
{
    public static Command Create()
    {
        var stacks = new Option<string[]>("--stack", "-s") { Description = "A stack to draw (repeatable: --stack mainpc --stack pc2)", Required = true };
        var format = new Option<string>("--format") { Description = "dot, svg or png", DefaultValueFactory = _ => "dot" };
        format.AcceptOnlyFromAmong("dot", "svg", "png");
        var output = new Option<string?>("--out", "-o") { Description = "Write to this file instead of stdout" };
        var plan = new Option<bool>("--plan") { Description = "Colour what a preview of each stack would change" };
        var command = new Command("graph", "Draw the stacks' resources grouped by machine, with the data paths between machines")
            { stacks, format, output, plan };
        command.SetAction((parse, ct) => CliErrors.RunAsync(async () =>
        {
            var pictures = new List<StackPicture>();
            foreach (var stack in parse.GetRequiredValue(stacks).Distinct(StringComparer.Ordinal))
            {
                var session = EngineSession.Open(stack, null);
                var graph = session.DesiredGraph();
                var machine = graph.Outputs.TryGetValue("machine", out var m) ? m.Value : stack;
                Plan? preview = parse.GetValue(plan) ? await session.Engine.PreviewAsync(graph, new PlanOptions(), ct) : null;
                pictures.Add(new StackPicture(machine, graph, preview));
            }
            var dot = TopologyDot.Render(pictures);
            var bytes = parse.GetRequiredValue(format) == "dot"
                ? System.Text.Encoding.UTF8.GetBytes(dot)
                : await Graphviz(dot, parse.GetRequiredValue(format), ct);
            if (parse.GetValue(output) is { } file) await File.WriteAllBytesAsync(file, bytes, ct);
            else
            {
                await using var stdout = Console.OpenStandardOutput();
                await stdout.WriteAsync(bytes, ct);
            }
            return 0;
        }));
        return command;
    }

    /// <summary>Graphviz's `dot` turns the text into an image.</summary>
    private static async Task<byte[]> Graphviz(string dot, string format, CancellationToken ct)
    {
        var info = new ProcessStartInfo("dot", [$"-T{format}"]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new Win32Exception("no process");
        }
        catch (Win32Exception)
        {
            throw new ConfigException("--format", format, "needs graphviz's `dot` on the PATH (scripts/setup installs graphviz); --format dot needs nothing");
        }
        using (process)
        {
            var image = new MemoryStream();
            var copy = process.StandardOutput.BaseStream.CopyToAsync(image, ct);
            var errors = process.StandardError.ReadToEndAsync(ct);
            await process.StandardInput.WriteAsync(dot);
            process.StandardInput.Close();
            await copy;
            await process.WaitForExitAsync(ct);
            if (process.ExitCode != 0)
                throw new ConfigException("--format", format, $"graphviz dot failed (exit {process.ExitCode}): {(await errors).Trim()}");
            return image.ToArray();
        }
    }
}
