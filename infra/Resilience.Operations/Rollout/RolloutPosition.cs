using Resilience.Engine.History;
using Resilience.Stack.Config;
using Resilience.Stack.Inventory;

namespace Resilience.Operations.Rollout;

/// <summary>Where a stack stands: its stages, the stage its stack file names, the version deployed and the gate it passed.</summary>
public sealed record RolloutPosition(string Stack, IReadOnlyList<RolloutStage> Stages, RolloutStage Current, RolloutStage? Deployed,
    StackVersion? DeployedVersion, System.Text.Json.Nodes.JsonObject? Gate, RolloutStage? Next, bool Batched)
{
    public bool GatePassed => (string?)Gate?["result"] == "Go";

    public static RolloutPosition Read(StackConfig config, string projectDirectory, StackHistory history)
    {
        var settings = StackSettings.Read(new TypedConfig(config, ConfigSecrets.Decrypter(config)));
        var inventory = AgentInventory.Load(Path.Combine(projectDirectory, settings.Inventory));
        var batched = RolloutStage.Batched(settings, inventory);
        var current = RolloutStage.Of(settings.Week, settings.MigrationBatches, batched);
        var applied = history.LastApplied();
        var deployed = applied?.Config is { } c ? StageOf(c, batched) : null;
        var gate = applied is null ? null : GateOf(history, applied, current.Name);
        return new RolloutPosition(config.Stack, RolloutStage.All(batched), current, deployed, applied?.WithoutGraph(), gate, current.Next(batched), batched);
    }

    /// <summary>
    /// The gate verdict for the stage on the deployed version; for a rollback, on the version it restored, following
    /// rollbacks of rollbacks (a second failed step from a restored stage rolls back to the first rollback).
    /// </summary>
    private static System.Text.Json.Nodes.JsonObject? GateOf(StackHistory history, StackVersion applied, string stage)
    {
        var seen = new HashSet<int>();
        for (StackVersion? version = applied; version is not null && seen.Add(version.Version);)
        {
            if (RolloutNotes.LastGate(version.Annotations, stage) is { } own) return own;
            var restored = version.Annotations.LastOrDefault(a => (string?)a["kind"] == RolloutNotes.Rollback)?["restoredVersion"]?.GetValue<int>();
            version = restored is { } v ? history.Find(v) : null;
        }
        return null;
    }

    /// <summary>The stage a recorded config names (keys as the stack file writes them, resilience:rolloutWeek), week 1 when unset.</summary>
    private static RolloutStage StageOf(System.Text.Json.Nodes.JsonObject config, bool batched)
    {
        static int Read(System.Text.Json.Nodes.JsonObject c, string key, int fallback) =>
            c.FirstOrDefault(p => p.Key.EndsWith(":" + key, StringComparison.Ordinal)).Value?.ToString() is { } text && int.TryParse(text, out var n) ? n : fallback;
        return RolloutStage.Of(Read(config, "rolloutWeek", 1), Read(config, "migrationBatches", RolloutStage.LastBatch), batched);
    }
}
