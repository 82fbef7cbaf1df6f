using Resilience.Engine;
using Resilience.Engine.Execution;
using Resilience.Engine.History;
using Resilience.Engine.Planning;
using Resilience.Operations.Gates;
using Resilience.Operations.Rollout;
using Resilience.Stack.Config;

namespace Resilience.Cli;

/// <summary>The rollout's engine calls, made the way `up` and `rollback` make them (config snapshot, git commit, parallelism).</summary>
public sealed class RolloutDeployer(string stack, string? backendUrl, int parallelism) : IRolloutDeployer
{
    private EngineSession _session = EngineSession.Open(stack, backendUrl);

    public StackHistory History => _session.Engine.History;

    public StackConfig LoadConfig()
    {
        // The stack file changes under a rollout: a fresh session reads it again.
        _session = EngineSession.Open(stack, backendUrl);
        return _session.Config;
    }

    public Task<Plan> PreviewAsync(CancellationToken ct) => _session.Engine.PreviewAsync(_session.DesiredGraph(), Options(), ct);

    public Task<ApplyResult> UpAsync(IProgress<StepEvent>? progress, CancellationToken ct) =>
        _session.Engine.UpAsync(_session.DesiredGraph(), Options(), progress, ct);

    /// <summary>
    /// The automatic rollback: the engine applies version <paramref name="version"/>'s graph again and the stack file goes
    /// back to <paramref name="stage"/>, so the next `up` does not undo it. One method, so it can be routed through
    /// the synchronized `rollback` (which restores the version's config into the stack file) instead.
    /// </summary>
    public async Task<ApplyResult> RollBackAsync(int version, RolloutStage stage, IProgress<StepEvent>? progress, CancellationToken ct)
    {
        var options = new ApplyOptions { MaxParallelism = parallelism, Config = History.Get(version).Config, GitCommit = _session.GitCommit() };
        var result = await _session.Engine.RollbackAsync(version, options, progress, ct);
        RolloutStackFile.Apply(_session.Config, stage);
        return result;
    }

    public GateSession OpenGates(StackConfig config) =>
        GateSession.Open(config, _session.Project.Directory, _session.Backend.StackDirectory(stack));

    private ApplyOptions Options() => new()
    {
        MaxParallelism = parallelism,
        Config = _session.ConfigSnapshot(),
        GitCommit = _session.GitCommit(),
    };
}
