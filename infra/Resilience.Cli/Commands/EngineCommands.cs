using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Resilience.Cli.Views;
using Resilience.Engine;
using Resilience.Engine.Execution;
using Resilience.Engine.Planning;
using Resilience.Engine.Refresh;
using Resilience.Operations.Outputs;
using Resilience.Operations.Rollback;
using Spectre.Console;

namespace Resilience.Cli.Commands;

/// <summary>The verbs that mirror Pulumi's: preview, up, refresh, destroy, rollback, stack history, stack output.</summary>
public static class EngineCommands
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private static readonly JsonSerializerOptions CamelCase = new(JsonSerializerDefaults.Web);

    public static IEnumerable<Command> Create(Option<string> stack)
    {
        var o = new EngineOptions(stack);
        yield return Preview(o);
        yield return Up(o);
        yield return Refresh(o);
        yield return Destroy(o);
        yield return Rollback(o);
        yield return StackGroup(o);
    }

    private static Command Preview(EngineOptions o)
    {
        var markdown = new Option<bool>("--markdown") { Description = "Print the plan as Markdown for a pull-request comment" };
        var expectNoChanges = new Option<bool>("--expect-no-changes") { Description = "Exit 1 when the plan has changes" };
        var command = new Command("preview", "Show what up would change, without changing anything")
            { o.Stack, o.Backend, o.Json, o.Diff, o.Target, markdown, expectNoChanges };
        command.SetAction((parse, ct) => CliErrors.RunAsync(async () =>
        {
            var session = EngineSession.Open(parse.GetRequiredValue(o.Stack), parse.GetValue(o.Backend));
            var material = SecurityMaterialSteps.ForPreview(session.Project, session.Config);
            Model.ResourceGraph graph;
            using (material)
                graph = material is null ? session.DesiredGraph() : Stack.StackProgram.Run(material.Config, session.Project.Directory, decrypt: material.Decrypt);
            var plan = await session.Engine.PreviewAsync(graph, new PlanOptions { Targets = o.Targets(parse) }, ct);
            var review = PlanReview.For(plan, Stack.Review.ReviewInventory.Load(session.Config, session.Project.Directory));
            var plain = !parse.GetValue(o.Json) && !parse.GetValue(markdown);
            foreach (var note in SecurityMaterialSteps.PreviewNotes(session.Config, DateTimeOffset.UtcNow, plannedWithMaterial: material is not null).Concat(DeployedNotes(session)))
            {
                if (plain) AnsiConsole.MarkupLine($"[yellow]note:[/] {Markup.Escape(note)}");
                else Console.Error.WriteLine($"note: {note}");
            }
            if (parse.GetValue(o.Json)) Console.WriteLine(PlanJson.Render(plan, review));
            else if (parse.GetValue(markdown)) Console.Write(PlanView.Markdown(plan, review));
            else PlanView.Print(AnsiConsole.Console, plan, parse.GetValue(o.Diff), review: review);
            return parse.GetValue(expectNoChanges) && plan.HasChanges ? 1 : 0;
        }, ct));
        return command;
    }

    private static Command Up(EngineOptions o)
    {
        var refresh = new Option<bool>("--refresh", "-r") { Description = "Refresh the state from the real world first" };
        var command = new Command("up", "Create or update the stack's resources") { o.Stack, o.Backend, o.Json, o.Yes, o.Diff, o.Target, o.Parallel, refresh };
        command.SetAction((parse, ct) => CliErrors.RunAsync(async () =>
        {
            SecurityMaterialSteps.BeforeUp(ProjectContext.Discover(), parse.GetRequiredValue(o.Stack), Console.Error);
            var session = EngineSession.Open(parse.GetRequiredValue(o.Stack), parse.GetValue(o.Backend));
            var graph = session.DesiredGraph();
            if (parse.GetValue(refresh))
            {
                var read = await session.Engine.RefreshAsync(new RefreshOptions { Write = true }, ct);
                if (!parse.GetValue(o.Json)) RefreshView(read);
            }
            var options = new ApplyOptions
            {
                Targets = o.Targets(parse),
                MaxParallelism = parse.GetValue(o.Parallel),
                Config = session.ConfigSnapshot(),
                GitCommit = session.GitCommit(),
            };
            return await Apply(parse, o, session, "Updating", () => session.Engine.PreviewAsync(graph, options, ct),
                progress => session.Engine.UpAsync(graph, options, progress, ct));
        }, ct));
        return command;
    }

    private static Command Destroy(EngineOptions o)
    {
        var command = new Command("destroy", "Delete every resource of the stack") { o.Stack, o.Backend, o.Json, o.Yes, o.Target, o.Parallel };
        command.SetAction((parse, ct) => CliErrors.RunAsync(async () =>
        {
            var session = EngineSession.Open(parse.GetRequiredValue(o.Stack), parse.GetValue(o.Backend));
            var options = new ApplyOptions { Targets = o.Targets(parse), MaxParallelism = parse.GetValue(o.Parallel), Config = session.ConfigSnapshot(), GitCommit = session.GitCommit() };
            return await Apply(parse, o, session, "Destroying", () => session.Engine.PreviewDestroyAsync(options, ct),
                progress => session.Engine.DestroyAsync(options, progress, ct));
        }, ct));
        return command;
    }

    private static Command Rollback(EngineOptions o)
    {
        var to = new Option<string>("--to")
        {
            Description = $"The history version to restore, or {StackRollback.Phase1} (before week 1: every agent on CentralHub only, the Phase 2 services gone, their data kept)",
            Required = true,
        };
        var command = new Command("rollback", "Apply an earlier version's desired state again, as a new version, and put its config back into the stack file")
            { o.Stack, o.Backend, o.Json, o.Yes, o.Diff, o.Target, o.Parallel, to };
        command.SetAction((parse, ct) => CliErrors.RunAsync(async () =>
        {
            var session = EngineSession.Open(parse.GetRequiredValue(o.Stack), parse.GetValue(o.Backend));
            var targets = o.Targets(parse);
            StackRollback rollback;
            try
            {
                rollback = StackRollback.Prepare(session.Project.Directory, session.Engine, parse.GetRequiredValue(to), targeted: targets is not null);
            }
            catch (RollbackRefusedException e)
            {
                throw new UsageException("--to", e.Message);
            }
            if (!parse.GetValue(o.Json)) PrintStackFileSync(session, rollback, targets is not null);
            var options = new ApplyOptions { Targets = targets, MaxParallelism = parse.GetValue(o.Parallel), GitCommit = session.GitCommit() };
            var what = rollback.To == StackRollback.Phase1 ? "Phase 1" : $"version {rollback.To}";
            return await Apply(parse, o, session, $"Rolling back to {what}", () => rollback.PreviewAsync(options, ct),
                progress => rollback.RunAsync(options, progress, ct));
        }, ct));
        return command;
    }

    /// <summary>What a preview says about the deployed version: a rollback and what it restored; a stack file that no longer describes it.</summary>
    private static IEnumerable<string> DeployedNotes(EngineSession session)
    {
        if (session.Engine.History.LastApplied() is not { } deployed) yield break;
        if (deployed.RolledBackTo is { } to)
        {
            var what = to == StackRollback.Phase1 ? "the Phase 1 configuration (rolloutWeek 0)" : $"version {to}";
            yield return $"the deployed version {deployed.Version} is a rollback ({deployed.Started:yyyy-MM-dd HH:mm} UTC) to {what}";
        }
        if (deployed.Config is not { } config) yield break;
        IReadOnlyList<ConfigEdit> differ = [];
        string? refused = null;
        try
        {
            differ = StackFileSync.Edits(session.Config, config, $"version {deployed.Version}");
        }
        catch (RollbackRefusedException e)
        {
            refused = e.Message;
        }
        if (refused is not null) yield return refused;
        if (differ.Count > 0)
        {
            yield return $"{session.Project.Show(session.Config.StackFile)} differs from the deployed version {deployed.Version} in " +
                string.Join(", ", differ.Select(d => d.Key)) + ": this plan changes what is deployed";
        }
    }

    private static void PrintStackFileSync(EngineSession session, StackRollback rollback, bool targeted)
    {
        var console = AnsiConsole.Console;
        var file = Markup.Escape(session.Project.Show(rollback.StackFile));
        if (targeted)
        {
            console.MarkupLine($"[yellow]note:[/] only the targeted resources roll back; {file} is left as it is, so the next `up` applies them as it says");
            return;
        }
        if (rollback.Edits.Count == 0)
        {
            console.MarkupLine($"{file} already describes what this rollback deploys: unchanged");
            return;
        }
        console.MarkupLine($"{file} will describe what this rollback deploys: these keys are written before its first step (comments and other lines kept):");
        foreach (var edit in rollback.Edits) console.MarkupLine($"    {Markup.Escape(edit.Shown)}");
    }

    private static Command Refresh(EngineOptions o)
    {
        var command = new Command("refresh", "Read the real world and show where it drifted from the state") { o.Stack, o.Backend, o.Json, o.Yes, o.Target };
        command.SetAction((parse, ct) => CliErrors.RunAsync(async () =>
        {
            var session = EngineSession.Open(parse.GetRequiredValue(o.Stack), parse.GetValue(o.Backend));
            var result = await session.Engine.RefreshAsync(new RefreshOptions { Write = parse.GetValue(o.Yes), Targets = o.Targets(parse) }, ct);
            if (parse.GetValue(o.Json)) Console.WriteLine(result.ToJson().ToJsonString(Indented));
            else RefreshView(result);
            return 0;
        }, ct));
        return command;
    }

    private static Command StackGroup(EngineOptions o)
    {
        var history = new Command("history", "List the stack's versions: up, destroy and rollback runs") { o.Stack, o.Backend, o.Json };
        history.SetAction(parse => CliErrors.Run(() =>
        {
            var session = EngineSession.Open(parse.GetRequiredValue(o.Stack), parse.GetValue(o.Backend));
            var versions = session.Engine.History.List();
            if (parse.GetValue(o.Json))
            {
                Console.WriteLine(new JsonArray(versions.Select(v => (JsonNode?)JsonSerializer.SerializeToNode(v with { Graph = new JsonObject() }, CamelCase)).ToArray()).ToJsonString(Indented));
                return 0;
            }
            var table = new Table().AddColumns("Version", "Command", "Started (UTC)", "Duration", "Result", "Changes", "Commit");
            foreach (var v in versions.Reverse())
            {
                var duration = v.Finished is { } f ? $"{(f - v.Started).TotalSeconds:0.0}s" : "";
                table.AddRow(v.Version.ToString(), v.RolledBackTo is { } to ? $"rollback to {(to == StackRollback.Phase1 ? "Phase 1" : $"version {to}")}" : v.Command, v.Started.ToString("yyyy-MM-dd HH:mm:ss"), duration, v.Result.ToString().ToLowerInvariant(),
                    Markup.Escape(string.Join(", ", v.Summary.Where(p => p.Key != "same").Select(p => $"{p.Key} {p.Value}"))), v.GitCommit?[..8] ?? "");
            }
            AnsiConsole.Write(table);
            // Gate verdicts, rollout steps and rollbacks, one line each: they would not fit a table column.
            foreach (var v in versions.Reverse())
            {
                foreach (var note in v.Annotations) Console.WriteLine($"version {v.Version}: {Operations.Rollout.RolloutNotes.Describe(note)}");
            }
            return 0;
        }));

        var showSecrets = new Option<bool>("--show-secrets") { Description = "Reveal secret outputs" };
        var property = new Argument<string?>("property") { Description = "Print this output's value alone (as `pulumi stack output NAME`)", Arity = ArgumentArity.ZeroOrOne };
        var output = new Command("output", "Print the outputs of the version last applied (hub, Pushgateway and NATS URLs)") { o.Stack, o.Backend, o.Json, showSecrets, property };
        output.SetAction(parse => CliErrors.Run(() =>
        {
            var session = EngineSession.Open(parse.GetRequiredValue(o.Stack), parse.GetValue(o.Backend));
            var answer = StackOutputReader.Read(session.Stack, session.Engine.History, parse.GetValue(showSecrets));
            if (answer is not AppliedOutputs.Applied applied) throw new UsageException(null, NothingAppliedText((AppliedOutputs.NothingApplied)answer));
            if (applied.NewerUnfinished is { } newer)
            {
                Console.Error.WriteLine($"note: version {newer.Version} ({newer.Command}) {newer.Result.ToString().ToLowerInvariant()}; " +
                    $"these are the outputs of version {applied.Version.Version}, the last that succeeded");
            }
            var values = CaFile.Replace(applied.Values, session.Backend.StackDirectory(session.Stack), session.Project.Show)
                .OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
            if (parse.GetValue(property) is { } name)
            {
                var match = values.Where(v => v.Key == name).ToList();
                if (match.Count == 0)
                    throw new UsageException(name, $"stack {session.Stack} has no output by that name; it has {string.Join(", ", values.Select(v => v.Key))}");
                Console.WriteLine(parse.GetValue(o.Json) ? JsonValue.Create(match[0].Value.Value)!.ToJsonString() : match[0].Value.Value);
                return 0;
            }
            if (parse.GetValue(o.Json))
            {
                Console.WriteLine(new JsonObject(values.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)v.Value.Value))).ToJsonString(Indented));
                return 0;
            }
            Console.WriteLine("Current stack outputs:");
            foreach (var (key, value) in values) Console.WriteLine($"    {key,-20} {value.Value}");
            return 0;
        }));
        return new Command("stack", "Stack history, outputs and state") { history, output, StateCommands.Export(o), StateCommands.Import(o) };
    }

    /// <summary>Preview, confirm, apply with live progress, then a summary. 0 when every step succeeded, else 1.</summary>
    private static async Task<int> Apply(ParseResult parse, EngineOptions o, EngineSession session, string verb,
        Func<Task<Plan>> preview, Func<IProgress<StepEvent>?, Task<ApplyResult>> apply)
    {
        var json = parse.GetValue(o.Json);
        var console = AnsiConsole.Console;
        var previewed = !parse.GetValue(o.Yes);
        if (previewed)
        {
            var plan = await preview();
            if (!json) PlanView.Print(console, plan, parse.GetValue(o.Diff), verb);
            if (!plan.HasChanges) return 0;
            if (!console.Profile.Capabilities.Interactive || Console.IsInputRedirected)
                throw new UsageException("--yes", "must be given to proceed when not running interactively (nothing was changed)");
            if (!await console.ConfirmAsync("Do you want to perform this update?", defaultValue: false)) return 0;
        }
        var view = json ? null : new ProgressView(console);
        using var heartbeat = new CancellationTokenSource();
        var beat = view?.HeartbeatAsync(heartbeat.Token) ?? Task.CompletedTask;
        ApplyResult result;
        try
        {
            result = await apply(view);
        }
        finally
        {
            await heartbeat.CancelAsync();
            await beat;
        }
        if (json)
        {
            Console.WriteLine(result.ToJson().ToJsonString(Indented));
        }
        else
        {
            foreach (var notice in result.Notices) console.MarkupLine($"[yellow]note:[/] {Markup.Escape(notice)}");
            if (!previewed) PlanView.PrintWarnings(console, result.Plan.Warnings); // else the preview showed them
            console.MarkupLine($"[bold]Resources:[/] {Markup.Escape(Summary(result))}");
            console.MarkupLine($"Duration: {result.Elapsed.TotalSeconds:0.0}s  (stack {Markup.Escape(session.Stack)}, version {result.Version.Version})");
            // Steps that failed for one cause (the Docker engine gone) say it once.
            foreach (var cause in result.Failures.GroupBy(f => f.Error ?? ""))
            {
                var steps = cause.ToList();
                var where = steps.Count == 1 ? $"{steps[0].Step.Urn}: " : "";
                var which = steps.Count == 1 ? "" : $" ({steps.Count} steps: {string.Join(", ", steps.Select(f => f.Step.Name))})";
                console.MarkupLine($"[red]error:[/] {Markup.Escape(where)}{Markup.Escape(cause.Key)}{Markup.Escape(which)}");
            }
        }
        return result.Succeeded ? 0 : 1;
    }

    private static string Summary(ApplyResult result)
    {
        var parts = result.Version.Summary.Where(p => p.Key != "same").Select(p => $"{p.Value} {p.Key}").ToList();
        var same = result.Version.Summary.GetValueOrDefault("same");
        parts.Add($"{same} unchanged");
        return string.Join(", ", parts);
    }

    private static void RefreshView(RefreshResult result)
    {
        var console = AnsiConsole.Console;
        foreach (var notice in result.Notices) console.MarkupLine($"[yellow]note:[/] {Markup.Escape(notice)}");
        var drifted = result.Drifted.ToList();
        console.MarkupLine($"[bold]Refreshing[/] ([aqua]{Markup.Escape(result.Stack)}[/]): {result.Resources.Count} resources read, {drifted.Count} drifted{(result.Written ? ", state updated" : "")}");
        foreach (var d in drifted)
        {
            if (d.Status == DriftStatus.Gone)
            {
                console.MarkupLine($"  [red]- gone[/]    {Markup.Escape(d.Urn)}");
                continue;
            }
            console.MarkupLine($"  [yellow]~ changed[/] {Markup.Escape(d.Urn)}");
            foreach (var c in d.Changes)
            {
                var old = c.Old?.ToJsonString() ?? "null";
                var now = c.New?.ToJsonString() ?? "null";
                console.MarkupLine($"      [grey]{Markup.Escape(c.Path)}[/]: {Markup.Escape(Cut(old))} => {Markup.Escape(Cut(now))}");
            }
            foreach (var line in d.Detail) console.MarkupLine($"      [grey]{Markup.Escape(line)}[/]");
        }
        if (drifted.Count > 0 && !result.Written) console.MarkupLine("[grey]Run `refresh --yes` to record this in the state, then `up` to repair it.[/]");
    }

    private static string NothingAppliedText(AppliedOutputs.NothingApplied none) => none.Destroyed is { } destroy
        ? $"stack {none.Stack} has no outputs: version {destroy.Version} ({destroy.Command}, {destroy.Started:yyyy-MM-dd HH:mm} UTC) removed what it had deployed"
        : $"stack {none.Stack} has no outputs yet: no `up` of it has succeeded (run `resilience up --stack {none.Stack}`)";

    private static string Cut(string s) => s.Length > 100 ? s[..97] + "..." : s;
}
