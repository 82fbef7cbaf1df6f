using System.CommandLine;
using System.Text.Json;
using Resilience.Cli.Views;
using Resilience.Operations.Gates;
using Resilience.Operations.Rollout;
using Spectre.Console;

namespace Resilience.Cli.Commands;

/// <summary>`gate`: evaluates a stage's gate (gates/*.yaml) against the live system. Exit 0 Go, 1 No-Go, 2 usage or a bad gate file.</summary>
public static class GateCommand
{
    public static Command Create(Option<string> stack)
    {
        var o = new EngineOptions(stack);
        var week = new Option<int?>("--week") { Description = "The week whose gate to evaluate (default: the stage the stack file names)" };
        var batch = new Option<int?>("--batch") { Description = "With --week 2: the batches migrated (0-3), picking the batch gate" };
        var file = new Option<string?>("--file") { Description = "A gate file to evaluate instead (a path, or a name in gates/)" };
        var observe = GateOptions.Observe();
        var record = new Option<bool>("--record") { Description = "Record the verdict on the deployed version (what `rollout next` checks before a step)" };
        var markdown = new Option<bool>("--markdown") { Description = "Print the verdict as Markdown" };
        var command = new Command("gate", "Evaluate a stage's Go/No-Go gate against the live system (exit 0 Go, 1 No-Go)")
            { o.Stack, o.Backend, o.Json, week, batch, file, observe, record, markdown };
        command.SetAction((parse, ct) => CliErrors.RunAsync(async () =>
        {
            var session = EngineSession.Open(parse.GetRequiredValue(o.Stack), parse.GetValue(o.Backend));
            var position = RolloutPosition.Read(session.Config, session.Project.Directory, session.Engine.History);
            var stage = Stage(position, parse.GetValue(week), parse.GetValue(batch));
            using var gates = GateSession.Open(session.Config, session.Project.Directory, session.Backend.StackDirectory(session.Stack));
            var gate = gates.Load(parse.GetValue(file) ?? stage.GateFile);
            var observation = GateOptions.Observation(parse, observe);
            var json = parse.GetValue(o.Json) || parse.GetValue(markdown);
            if (!json && observation.Observe)
                AnsiConsole.MarkupLine($"[grey]Observing gate {Markup.Escape(gate.Name)} for {(observation.Period ?? gate.Observation).TotalSeconds:0} s...[/]");
            var result = await gates.EvaluateAsync(gate, observation, null, ct);
            // On stderr: --json and --markdown keep stdout to the verdict.
            if (await gates.PushAsync(result, stage.Week, stage.Batches, ct) is { } warning) Console.Error.WriteLine($"warning: {warning}");
            if (parse.GetValue(record))
            {
                if (position.DeployedVersion is not { } deployed || position.Deployed != stage)
                    throw new UsageException("--record", $"the deployed version is not on {stage}: nothing recorded");
                session.Engine.History.Annotate(deployed.Version, RolloutNotes.ForGate(result, stage.Name));
            }
            if (parse.GetValue(o.Json)) Console.WriteLine(GateView.Json(result).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            else if (parse.GetValue(markdown)) Console.Write(GateView.Markdown(result));
            else GateView.Print(AnsiConsole.Console, result);
            return result.Go ? 0 : CliErrors.Failed;
        }, ct));
        return command;
    }

    private static RolloutStage Stage(RolloutPosition position, int? week, int? batch)
    {
        if (week is null)
        {
            if (batch is not null) throw new UsageException("--batch", "needs --week 2");
            return position.Current;
        }
        if (week is < 0 or > 4) throw new UsageException("--week", $"{week}: the rollout weeks are 1-4 (0 = Phase 1)");
        if (batch is not null && (week != 2 || batch is < 0 or > RolloutStage.LastBatch))
            throw new UsageException("--batch", "is 0-3, with --week 2");
        return week == 2 && position.Batched ? new RolloutStage(2, batch ?? RolloutStage.LastBatch) : new RolloutStage(week.Value, null);
    }
}

/// <summary>--observe, shared by `gate` and `rollout next`.</summary>
internal static class GateOptions
{
    public static Option<string?> Observe() => new("--observe")
    {
        Description = "Observe over each check's observation period, or over this one for all (e.g. 30s); `gate` without it measures once, now",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public static Observation Observation(ParseResult parse, Option<string?> observe, bool byDefault = false)
    {
        if (parse.GetResult(observe) is null) return byDefault ? Operations.Gates.Observation.Over() : Operations.Gates.Observation.Now;
        var text = parse.GetValue(observe);
        if (string.IsNullOrEmpty(text)) return Operations.Gates.Observation.Over();
        if (!Platform.Duration.TryParse(text, out var period, out var problem) || period.Value <= TimeSpan.Zero)
            throw new UsageException("--observe", $"'{text}': {(problem.Length > 0 ? problem : "must be more than 0")} (e.g. {Platform.Duration.Examples})");
        return Operations.Gates.Observation.Over(period.Value);
    }
}
