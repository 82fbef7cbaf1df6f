using Resilience.Stack.Config;
using Resilience.Stack.Inventory;

namespace Resilience.Operations.Rollout;

/// <summary>
/// One stage of the rollout: Phase 1 (rolloutWeek 0: every agent on CentralHub only), a week, or within week 2 the
/// number of PC2 batches migrated (0-3). Phase 1's gate is gates/phase1.yaml; a week's gate is
/// gates/week{N}.yaml; week 2's batches 0-2 are closed by gates/week2-batch.yaml (the per-batch validation) and
/// batch 3 by week2.yaml (all PC2 agents migrated).
/// </summary>
public sealed record RolloutStage(int Week, int? Batches)
{
    public const int LastBatch = 3;

    public string Name => Week == 0 ? "phase 1" : Batches is { } b ? $"week {Week} batch {b}" : $"week {Week}";

    public string GateFile => Week == 0 ? "phase1.yaml" : Week == 2 && Batches is < LastBatch ? "week2-batch.yaml" : $"week{Week}.yaml";

    /// <summary>The stages of a stack: week 2 is split into its batches only on a machine that has batch agents.</summary>
    public static IReadOnlyList<RolloutStage> All(bool batched) => batched
        ? [new(0, null), new(1, null), new(2, 0), new(2, 1), new(2, 2), new(2, 3), new(3, null), new(4, null)]
        : [new(0, null), new(1, null), new(2, null), new(3, null), new(4, null)];

    public static bool Batched(StackSettings settings, AgentInventory inventory) =>
        inventory.On(settings.Machine).Any(a => a.Wave is Wave.Batch1 or Wave.Batch2 or Wave.Batch3);

    /// <summary>Where a config stands (a week above 2 counts its batches as all done).</summary>
    public static RolloutStage Of(int week, int batches, bool batched) => batched && week == 2 ? new(2, batches) : new(week, null);

    public RolloutStage? Next(bool batched)
    {
        var stages = All(batched);
        var index = stages.ToList().IndexOf(this);
        return index >= 0 && index + 1 < stages.Count ? stages[index + 1] : null;
    }

    /// <summary>The stack-file values that put a stack on this stage.</summary>
    public IReadOnlyDictionary<string, string> ConfigValues => Batches is { } b
        ? new Dictionary<string, string> { ["rolloutWeek"] = Week.ToString(System.Globalization.CultureInfo.InvariantCulture), ["migrationBatches"] = b.ToString(System.Globalization.CultureInfo.InvariantCulture) }
        : new Dictionary<string, string> { ["rolloutWeek"] = Week.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    public override string ToString() => Name;
}
