using Resilience.Engine.Planning;

namespace Resilience.Engine.Execution;

public enum StepStatus
{
    Started,
    Succeeded,
    Failed,
    /// <summary>Not run: something it waits for failed or was skipped, or the run was cancelled.</summary>
    Skipped,
}

/// <summary>A live progress report for one step, raised from worker threads as it happens.</summary>
/// <param name="Elapsed">Zero for Started and Skipped.</param>
public sealed record StepEvent(PlanStep Step, StepStatus Status, DateTimeOffset At, TimeSpan Elapsed, string? Error = null)
{
    public string Urn => Step.Urn;
    public StepKind Kind => Step.Kind;
}

/// <summary>How one step ended.</summary>
public sealed record StepOutcome(PlanStep Step, StepStatus Status, TimeSpan Elapsed, string? Error = null);
