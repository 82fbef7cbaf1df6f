using System.Globalization;
using Resilience.Engine;
using Resilience.Engine.Execution;
using Resilience.Engine.History;
using Resilience.Engine.Planning;
using Resilience.Operations.Gates;
using Resilience.Operations.Rollback;
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
    /// The automatic rollback, the same operation as `rollback --to N`: version <paramref name="version"/>'s config goes
    /// back into the stack file and its graph is applied again (recorded as a rollback to it), so the next `up` keeps it.
    /// The stack file is then set to <paramref name="stage"/>, which version N deployed.
    /// </summary>
    public async Task<ApplyResult> RollBackAsync(int version, RolloutStage stage, IProgress<StepEvent>? progress, CancellationToken ct)
    {
        var rollback = StackRollback.Prepare(_session.Project.Directory, _session.Engine, version.ToString(CultureInfo.InvariantCulture));
        var result = await rollback.RunAsync(new ApplyOptions { MaxParallelism = parallelism, GitCommit = _session.GitCommit() }, progress, ct);
        RolloutStackFile.Apply(LoadConfig(), stage);
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
