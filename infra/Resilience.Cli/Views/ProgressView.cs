using System.Collections.Concurrent;
using Resilience.Engine.Execution;
using Resilience.Engine.Planning;
using Spectre.Console;

namespace Resilience.Cli.Views;

/// <summary>
/// Live progress of an apply: one line per step as it starts and ends (resource, step, elapsed). On a terminal the
/// running steps are also shown with their elapsed time while they run.
/// </summary>
public sealed class ProgressView(IAnsiConsole console) : IProgress<StepEvent>
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _running = new();
    private readonly object _gate = new();

    public void Report(StepEvent e)
    {
        if (e.Kind == StepKind.Same) return;
        var colour = Symbols.Colour(e.Kind);
        var what = $"[{colour}]{Symbols.Of(e.Kind),-2}[/] {Markup.Escape(e.Step.Type)} [bold]{Markup.Escape(e.Step.Name)}[/]";
        lock (_gate)
        {
            switch (e.Status)
            {
                case StepStatus.Started:
                    _running[e.Urn] = e.At;
                    console.MarkupLine($"{what} [grey]{e.Kind.Name()}...[/]");
                    break;
                case StepStatus.Succeeded:
                    _running.TryRemove(e.Urn, out _);
                    console.MarkupLine($"{what} [{colour}]{Done(e.Kind)}[/] [grey]({e.Elapsed.TotalSeconds:0.0}s)[/]");
                    break;
                case StepStatus.Failed:
                    _running.TryRemove(e.Urn, out _);
                    console.MarkupLine($"{what} [red bold]failed[/] [grey]({e.Elapsed.TotalSeconds:0.0}s)[/]: {Markup.Escape(e.Error ?? "")}");
                    break;
                case StepStatus.Skipped:
                    console.MarkupLine($"{what} [grey]skipped ({(e.Error?.StartsWith("not started", StringComparison.Ordinal) == true ? "not started" : "a step it waits for did not succeed")})[/]");
                    break;
            }
        }
    }

    /// <summary>Every few seconds, names the steps still running and for how long (long image builds, waits for ready).</summary>
    public async Task HeartbeatAsync(CancellationToken ct)
    {
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(5), ct);
                var now = DateTimeOffset.UtcNow;
                var running = _running.ToArray();
                if (running.Length == 0) continue;
                lock (_gate)
                {
                    console.MarkupLine($"[grey]  still running: {Markup.Escape(string.Join(", ", running.Select(r => $"{r.Key.Split("::").Last()} {(now - r.Value).TotalSeconds:0}s")))}[/]");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static string Done(StepKind kind) => kind switch
    {
        StepKind.Create => "created",
        StepKind.Update => "updated",
        StepKind.Reload => "reloaded",
        StepKind.Replace => "replaced",
        StepKind.Delete => "deleted",
        _ => "done",
    };
}
