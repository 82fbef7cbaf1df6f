using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Resilience.Cli.Views;
using Resilience.Engine;
using Resilience.Engine.Execution;
using Resilience.Engine.Planning;
using Resilience.Operations.Gates;
using Resilience.Operations.Rollout;
using Spectre.Console;

namespace Resilience.Cli.Commands;

/// <summary>`rollout` shows the stages and where the stack stands; `rollout next` takes one step with its gate deciding.</summary>
public static class RolloutCommand
{
    public static Command Create(Option<string> stack)
    {
        var o = new EngineOptions(stack);
        var status = new Command("rollout", "Show the rollout's stages, where the stack stands and the next step") { o.Stack, o.Backend, o.Json };
        status.SetAction(parse => CliErrors.Run(() =>
        {
            var session = EngineSession.Open(parse.GetRequiredValue(o.Stack), parse.GetValue(o.Backend));
            var position = RolloutPosition.Read(session.Config, session.Project.Directory, session.Engine.History);
            if (parse.GetValue(o.Json)) Console.WriteLine(Json(position).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            else Print(AnsiConsole.Console, position);
            return 0;
        }));

        var keepGoing = new Option<bool>("--continue") { Description = "After a Go, take the next step too, until the last stage or a No-Go" };
        var overrideReason = new Option<string?>("--override") { Description = "Take the step although the current stage's gate has not passed; the reason is recorded" };
        var observe = GateOptions.Observe();
        var next = new Command("next", "One step: preview, up (agents restarted), observe with the gate; Go records it, No-Go rolls back (exit 1)")
            { o.Stack, o.Backend, o.Parallel, keepGoing, overrideReason, observe };
        next.SetAction((parse, ct) => CliErrors.RunAsync(async () =>
        {
            var reason = parse.GetValue(overrideReason);
            if (reason is not null && string.IsNullOrWhiteSpace(reason)) throw new UsageException("--override", "give the reason (it is recorded)");
            var deployer = new RolloutDeployer(parse.GetRequiredValue(o.Stack), parse.GetValue(o.Backend), parse.GetValue(o.Parallel));
            var project = ProjectContext.Discover();
            var driver = new RolloutDriver(deployer, project.Directory, new ConsoleReport(AnsiConsole.Console));
            var outcome = await driver.NextAsync(GateOptions.Observation(parse, observe, byDefault: true), parse.GetValue(keepGoing), reason, ct);
            var console = AnsiConsole.Console;
            switch (outcome)
            {
                case RolloutOutcome.Complete c:
                    console.MarkupLine($"The rollout is complete: the stack is on {Markup.Escape(c.Stage.Name)}, the last stage.");
                    return 0;
                case RolloutOutcome.Refused r:
                    throw new UsageException(null, $"step refused: {r.Reason}");
                case RolloutOutcome.Advanced a:
                    console.MarkupLine($"[green bold]Go[/]: the stack is on {Markup.Escape(a.Reached.Name)} (version {a.Versions[^1]}); the verdict is in `stack history`.");
                    return 0;
                case RolloutOutcome.RolledBack b:
                    console.MarkupLine($"[red bold]No-Go[/]: {Markup.Escape(b.Reason)}");
                    console.MarkupLine(b.RollbackSucceeded
                        ? $"Rolled back: version {b.Failed} ({Markup.Escape(b.Attempted.Name)}) undone by version {b.Rollback}, back on {Markup.Escape(b.Restored.Name)}."
                        : $"[red]The rollback (version {b.Rollback}) failed too[/]: emergency - see `stack history` and roll back by hand.");
                    return CliErrors.Failed;
                default:
                    return CliErrors.Failed;
            }
        }, ct));
        status.Subcommands.Add(next);
        return status;
    }

    private static void Print(IAnsiConsole console, RolloutPosition p)
    {
        var table = new Table().AddColumns("", "Stage", "Gate file");
        foreach (var stage in p.Stages)
        {
            var mark = stage == p.Current ? "[bold]>[/]" : "";
            table.AddRow(mark, Markup.Escape(stage.Name), Markup.Escape("gates/" + stage.GateFile));
        }
        console.MarkupLine($"[bold]Rollout of stack {Markup.Escape(p.Stack)}[/]");
        console.Write(table);
        console.MarkupLine($"Stack file: {Markup.Escape(p.Current.Name)}");
        console.MarkupLine(p.DeployedVersion is { } v
            ? $"Deployed: version {v.Version} ({Markup.Escape(v.Command)}, {Markup.Escape(p.Deployed?.Name ?? "?")})"
            : "Deployed: nothing yet (run `up`)");
        if (p.Deployed is { } d && d != p.Current)
            console.MarkupLine($"[yellow]note:[/] the stack file says {Markup.Escape(p.Current.Name)}, the deployed version {Markup.Escape(d.Name)}: `up` would move it");
        console.MarkupLine(p.Gate is { } g
            ? $"Gate: {Markup.Escape(RolloutNotes.Describe(g))} at {Markup.Escape((string?)g["at"] ?? "")}"
            : "Gate: none recorded for this stage (run `resilience gate --record`)");
        console.MarkupLine(p.Next is { } n
            ? $"Next: {Markup.Escape(n.Name)} (`resilience rollout next --stack {Markup.Escape(p.Stack)}`){(p.GatePassed ? "" : ", refused until the gate passes or with --override \"reason\"")}"
            : "Next: none, this is the last stage");
    }

    private static JsonObject Json(RolloutPosition p) => new()
    {
        ["stack"] = p.Stack,
        ["stages"] = new JsonArray(p.Stages.Select(s => (JsonNode?)new JsonObject { ["name"] = s.Name, ["gate"] = "gates/" + s.GateFile }).ToArray()),
        ["current"] = p.Current.Name,
        ["deployed"] = p.Deployed?.Name,
        ["deployedVersion"] = p.DeployedVersion?.Version,
        ["gate"] = p.Gate?.DeepClone(),
        ["gatePassed"] = p.GatePassed,
        ["next"] = p.Next?.Name,
    };

    /// <summary>Renders a step as it goes: the plan, the engine's progress, each measurement, the verdict.</summary>
    private sealed class ConsoleReport(IAnsiConsole console) : IRolloutReport
    {
        public void Step(RolloutStage from, RolloutStage to, string? overrideReason)
        {
            console.MarkupLine($"[bold]Step[/]: {Markup.Escape(from.Name)} -> {Markup.Escape(to.Name)}");
            if (overrideReason is not null) console.MarkupLine($"[yellow]override[/] (recorded): {Markup.Escape(overrideReason)}");
        }

        public void Planned(Plan plan) => PlanView.Print(console, plan, diff: false);

        public IProgress<StepEvent>? Applying(string what) => new ProgressView(console);

        public void Applied(string what, ApplyResult result)
        {
            console.MarkupLine($"{Markup.Escape(what)}: version {result.Version.Version} {(result.Succeeded ? "[green]succeeded[/]" : "[red]failed[/]")} in {result.Elapsed.TotalSeconds:0.0}s");
            foreach (var failure in result.Failures) console.MarkupLine($"[red]error:[/] {Markup.Escape(failure.Step.Urn)}: {Markup.Escape(failure.Error ?? "")}");
        }

        public IProgress<(string Check, Measurement Measurement)>? Observing(GateDefinition gate, TimeSpan period)
        {
            console.MarkupLine($"Observing with gate {Markup.Escape(gate.Name)} for {period.TotalSeconds:0} s...");
            return new Progress<(string Check, Measurement Measurement)>(m =>
            {
                if (m.Measurement.Phase != Phase.Passed)
                    console.MarkupLine($"  {Markup.Escape(m.Check)}: {GateView.PhaseMarkup(m.Measurement.Phase)} {Markup.Escape(m.Measurement.Value)} {Markup.Escape(m.Measurement.Detail ?? "")}");
            });
        }

        public void Judged(GateResult result) => GateView.Print(console, result);

        public void Warning(string message) => console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(message)}");
    }
}
