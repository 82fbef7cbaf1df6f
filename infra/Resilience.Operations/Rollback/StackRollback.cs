using System.Globalization;
using System.Text.Json.Nodes;
using Resilience.Engine;
using Resilience.Engine.Execution;
using Resilience.Engine.Planning;
using Resilience.Model;
using Resilience.Stack;
using Resilience.Stack.Config;

namespace Resilience.Operations.Rollback;

/// <summary>
/// "Roll back to N and sync the stack file", prepared and then run: version N's recorded graph applied again as a new
/// version, and N's config written back into Pulumi.&lt;stack&gt;.yaml so that the next preview and up keep what the
/// rollback deployed. <see cref="Phase1"/> is the stage before week 1 (rolloutWeek 0): the program's graph for it.
/// With targets only those resources roll back and the stack file is left as it is (it still describes the rest).
/// </summary>
public sealed class StackRollback
{
    public const string Phase1 = "phase1";
    public const string WeekKey = "rolloutWeek";

    private StackRollback(StackEngine engine, string stackFile, string to, ResourceGraph graph, JsonObject config, IReadOnlyList<ConfigEdit> edits)
    {
        Engine = engine;
        StackFile = stackFile;
        To = to;
        Graph = graph;
        Config = config;
        Edits = edits;
    }

    public StackEngine Engine { get; }
    public string StackFile { get; }

    /// <summary>What is restored: a version number, or <see cref="Phase1"/>.</summary>
    public string To { get; }

    /// <summary>The graph the rollback applies.</summary>
    public ResourceGraph Graph { get; }

    /// <summary>The config the rollback deploys, recorded in its history version.</summary>
    public JsonObject Config { get; }

    /// <summary>What the rollback writes into the stack file before it applies (empty with targets, or when it already agrees).</summary>
    public IReadOnlyList<ConfigEdit> Edits { get; }

    /// <param name="to">A version number of the stack's history, or "phase1".</param>
    /// <param name="targeted">Only some resources roll back: the stack file is left alone.</param>
    /// <exception cref="RollbackRefusedException">No such version, or its config cannot go back into the stack file; nothing changed.</exception>
    /// <exception cref="ConfigException">The stack file (or Phase 1 on it) is not a valid config.</exception>
    public static StackRollback Prepare(string projectDir, StackEngine engine, string to, bool targeted = false)
    {
        var current = StackConfig.Load(projectDir, engine.Stack);
        if (to == Phase1)
        {
            var week = $"{current.Project}:{WeekKey}";
            var phase1 = StackConfig.Load(projectDir, engine.Stack, new Dictionary<string, string> { [week] = "0" });
            var graph = StackProgram.Run(phase1, projectDir);
            var edits = targeted ? [] : StackFileSync.Edits(current, ConfigSnapshot.Of(phase1), "Phase 1");
            return new StackRollback(engine, current.StackFile, Phase1, graph, ConfigSnapshot.Of(phase1), edits);
        }
        if (!int.TryParse(to, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            throw new RollbackRefusedException($"'{to}' is neither a version number (see `stack history`) nor {Phase1} (the configuration before week 1)");
        if (engine.History.Find(number) is not { } version)
            throw new RollbackRefusedException($"stack {engine.Stack} has no version {number} (see `stack history`)");
        if (version.Command == "destroy")
            throw new RollbackRefusedException($"version {number} destroyed the stack: roll back to a version that deployed it");
        if (version.Config is not { } config)
        {
            if (!targeted)
                throw new RollbackRefusedException($"version {number} recorded no config, so the stack file cannot be made to describe it: roll back with --target, or set the stack file by hand and run `up`");
            config = ConfigSnapshot.Of(current);
        }
        var restored = targeted ? [] : StackFileSync.Edits(current, config, $"version {number}");
        return new StackRollback(engine, current.StackFile, to, engine.History.LoadGraph(number), config, restored);
    }

    public Task<Plan> PreviewAsync(ApplyOptions options, CancellationToken ct) => Engine.PreviewAsync(Graph, options, ct);

    /// <summary>
    /// Writes the stack file first, then applies: the file says what is being deployed even when a step fails, so
    /// the next `up` finishes this rollback instead of undoing it.
    /// </summary>
    public Task<ApplyResult> RunAsync(ApplyOptions options, IProgress<StepEvent>? progress, CancellationToken ct)
    {
        StackFileSync.Apply(StackFile, Edits);
        return Engine.UpAsync(Graph, options with { Command = "rollback", Config = Config, RolledBackTo = To }, progress, ct);
    }
}
