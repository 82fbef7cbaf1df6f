using Resilience.Engine;
using Resilience.Engine.Execution;
using Resilience.Engine.History;
using Resilience.Engine.Planning;
using Resilience.Operations.Gates;
using Resilience.Stack.Config;

namespace Resilience.Operations.Rollout;

/// <summary>
/// What a rollout step needs from the caller that owns the engine: the stack's config as the stack file says now, the
/// same preview and up an `up` runs, a rollback, and the gates. The CLI implements it on its engine session.
/// </summary>
public interface IRolloutDeployer
{
    StackHistory History { get; }

    /// <summary>The stack's config as its stack file says now (read again after each edit).</summary>
    StackConfig LoadConfig();

    Task<Plan> PreviewAsync(CancellationToken ct);

    Task<ApplyResult> UpAsync(IProgress<StepEvent>? progress, CancellationToken ct);

    /// <summary>
    /// Restores version <paramref name="version"/> — what is deployed and the stack file's stage (<paramref name="stage"/>) —
    /// after a step that failed or whose gate said No-Go.
    /// </summary>
    Task<ApplyResult> RollBackAsync(int version, RolloutStage stage, IProgress<StepEvent>? progress, CancellationToken ct);

    GateSession OpenGates(StackConfig config);
}

/// <summary>What the driver tells the operator as a step goes (the CLI renders it).</summary>
public interface IRolloutReport
{
    void Step(RolloutStage from, RolloutStage to, string? overrideReason);
    void Planned(Plan plan);
    IProgress<StepEvent>? Applying(string what);
    void Applied(string what, ApplyResult result);
    IProgress<(string Check, Measurement Measurement)>? Observing(GateDefinition gate, TimeSpan period);
    void Judged(GateResult result);

    /// <summary>Something that did not fail the step, e.g. the gate result not pushed to the Pushgateway.</summary>
    void Warning(string message);
}
