using Resilience.Operations.Gates;

namespace Resilience.Operations.Rollout;

/// <summary>How `rollout next` ended.</summary>
public abstract record RolloutOutcome
{
    /// <summary>Every step taken passed its gate; <paramref name="Versions"/> are the versions the steps made.</summary>
    public sealed record Advanced(RolloutStage Reached, IReadOnlyList<int> Versions, IReadOnlyList<GateResult> Gates) : RolloutOutcome;

    /// <summary>Already on the last stage: nothing to do.</summary>
    public sealed record Complete(RolloutStage Stage) : RolloutOutcome;

    /// <summary>The step was not taken (nothing changed): why, and what to do.</summary>
    public sealed record Refused(string Reason) : RolloutOutcome;

    /// <summary>A step failed (its up, or its gate said No-Go) and was rolled back: version <paramref name="Failed"/> undone by <paramref name="Rollback"/>.</summary>
    public sealed record RolledBack(RolloutStage Attempted, RolloutStage Restored, int Failed, int Rollback, bool RollbackSucceeded,
        string Reason, GateResult? Gate) : RolloutOutcome;
}
