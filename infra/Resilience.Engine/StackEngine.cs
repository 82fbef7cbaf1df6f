using System.Diagnostics;
using Resilience.Engine.Execution;
using Resilience.Engine.History;
using Resilience.Engine.Planning;
using Resilience.Engine.Providers;
using Resilience.Engine.Refresh;
using Resilience.Engine.Secrets;
using Resilience.Engine.State;
using Resilience.Model;

namespace Resilience.Engine;

/// <summary>
/// The embedded engine for one stack: preview, up, destroy, refresh and history over a directory backend.
/// Every write operation holds the stack's lock; a preview only reads.
/// </summary>
public sealed class StackEngine
{
    private readonly DirectoryBackend _backend;
    private readonly ProviderRegistry _providers;
    private readonly SecretCodec _codec;
    private readonly CheckpointStore _checkpoints;

    /// <param name="protector">Encrypts secrets in state and history; without one they are stored as fingerprints.</param>
    public StackEngine(DirectoryBackend backend, string stack, ProviderRegistry providers, ISecretProtector? protector = null)
    {
        _backend = backend;
        _providers = providers;
        _codec = new SecretCodec(protector);
        Stack = stack;
        _checkpoints = new CheckpointStore(backend.CheckpointPath(stack), stack);
        History = new StackHistory(backend.HistoryDirectory(stack), _codec);
    }

    public string Stack { get; }

    public StackHistory History { get; }

    /// <summary>The recorded resources (secrets in stored form).</summary>
    public Checkpoint ReadCheckpoint() => _checkpoints.Load();

    /// <summary>What an up would do. Settles interrupted operations in memory only (reading, never writing).</summary>
    public async Task<Plan> PreviewAsync(ResourceGraph desired, PlanOptions? options = null, CancellationToken ct = default)
    {
        var checkpoint = _checkpoints.Load();
        var notices = await new PendingResolver(_providers, _codec).ResolveAsync(checkpoint, ct);
        return new Planner(_providers, _codec).Plan(checkpoint, desired, options, notices, History.LastAppliedOutputs());
    }

    public Task<Plan> PreviewDestroyAsync(PlanOptions? options = null, CancellationToken ct = default) =>
        PreviewAsync(Empty(), options, ct);

    /// <summary>Plans and applies <paramref name="desired"/>, recording a history version ("up", or options.Command).</summary>
    /// <exception cref="PlanException">Nothing was applied.</exception>
    /// <exception cref="StackLockedException">Another operation holds the stack.</exception>
    public Task<ApplyResult> UpAsync(ResourceGraph desired, ApplyOptions? options = null, IProgress<StepEvent>? progress = null, CancellationToken ct = default) =>
        ApplyAsync(desired, options ?? new ApplyOptions(), options?.Command ?? "up", progress, ct);

    /// <summary>Applies version <paramref name="version"/>'s graph as a new version with command "rollback".</summary>
    public Task<ApplyResult> RollbackAsync(int version, ApplyOptions? options = null, IProgress<StepEvent>? progress = null, CancellationToken ct = default) =>
        ApplyAsync(History.LoadGraph(version), (options ?? new ApplyOptions()) with { RolledBackTo = version.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            options?.Command ?? "rollback", progress, ct);

    /// <summary>Deletes every recorded resource (or the targeted ones), dependents first.</summary>
    public Task<ApplyResult> DestroyAsync(ApplyOptions? options = null, IProgress<StepEvent>? progress = null, CancellationToken ct = default) =>
        ApplyAsync(Empty(), options ?? new ApplyOptions(), options?.Command ?? "destroy", progress, ct);

    /// <summary>The stack's checkpoint as a file <see cref="ImportState"/> takes back (<c>stack export</c>); secrets stay in stored form.</summary>
    public byte[] ExportState() => StateJson.Serialize(_checkpoints.Load());

    /// <summary>
    /// Replaces the stack's checkpoint by an exported one (<c>stack import</c>), under the stack's lock; the one it
    /// replaces is kept as the previous checkpoint. Returns how many resources it records.
    /// </summary>
    public int ImportState(string file)
    {
        var imported = _checkpoints.ReadImport(file);
        using var held = StackLock.Acquire(_backend.LockPath(Stack), Stack, "import");
        _checkpoints.Save(imported);
        return imported.Resources.Count;
    }

    /// <summary>
    /// Rebuilds a lost or damaged checkpoint (<c>stack import --from-history</c>): every resource the history declared
    /// since the last destroy is read from the real world, as a refresh would; what exists is recorded as it is, what does
    /// not is left out. The damaged checkpoint is not read; a good one it replaces is kept as the previous checkpoint.
    /// </summary>
    /// <returns>The readings (gone ones included) and the newest history version used; null when the history is empty.</returns>
    public async Task<(RefreshResult Read, int? Version)> RebuildStateAsync(CancellationToken ct = default)
    {
        using var held = StackLock.Acquire(_backend.LockPath(Stack), Stack, "import");
        var (declared, newest) = History.DeclaredSinceLastDestroy();
        var checkpoint = new Checkpoint { Stack = Stack };
        foreach (var resource in declared) checkpoint.Put(StoredResource.From(resource, new(), _codec));
        var refresher = new Refresher(_providers, _codec);
        var read = await refresher.ReadAllAsync(checkpoint, new RefreshOptions { Write = true }, ct);
        refresher.Apply(checkpoint, read);
        _checkpoints.Save(checkpoint);
        var notices = held.TakeoverNotice is null ? new List<string>() : [held.TakeoverNotice];
        return (new RefreshResult(Stack, read.Select(r => r.Drift).ToList(), true, notices), newest);
    }

    public async Task<RefreshResult> RefreshAsync(RefreshOptions? options = null, CancellationToken ct = default)
    {
        options ??= new RefreshOptions();
        var refresher = new Refresher(_providers, _codec);
        if (!options.Write)
        {
            var snapshot = _checkpoints.Load();
            var preview = await new PendingResolver(_providers, _codec).ResolveAsync(snapshot, ct);
            var readings = await refresher.ReadAllAsync(snapshot, options, ct);
            return new RefreshResult(Stack, readings.Select(r => r.Drift).ToList(), false, preview);
        }

        using var held = StackLock.Acquire(_backend.LockPath(Stack), Stack, "refresh");
        var notices = new List<string>();
        if (held.TakeoverNotice is not null) notices.Add(held.TakeoverNotice);
        var checkpoint = _checkpoints.Load();
        notices.AddRange(await new PendingResolver(_providers, _codec).ResolveAsync(checkpoint, ct));
        var read = await refresher.ReadAllAsync(checkpoint, options, ct);
        refresher.Apply(checkpoint, read);
        _checkpoints.Save(checkpoint);
        return new RefreshResult(Stack, read.Select(r => r.Drift).ToList(), true, notices);
    }

    private async Task<ApplyResult> ApplyAsync(ResourceGraph desired, ApplyOptions options, string command, IProgress<StepEvent>? progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        using var held = StackLock.Acquire(_backend.LockPath(Stack), Stack, command);
        var notices = new List<string>();
        if (held.TakeoverNotice is not null) notices.Add(held.TakeoverNotice);

        var checkpoint = _checkpoints.Load();
        var settled = await new PendingResolver(_providers, _codec).ResolveAsync(checkpoint, ct);
        if (settled.Count > 0) _checkpoints.Save(checkpoint);
        notices.AddRange(settled);

        var plan = new Planner(_providers, _codec).Plan(checkpoint, desired, options, settled, History.LastAppliedOutputs());
        var version = History.Begin(command, desired, options.Config, options.GitCommit, options.RolledBackTo);
        IReadOnlyList<StepOutcome> outcomes;
        try
        {
            var executor = new Executor(_providers, _codec, new CheckpointRecorder(_checkpoints, checkpoint));
            outcomes = await executor.RunAsync(plan, options.MaxParallelism, progress, ct);
        }
        catch
        {
            History.Finish(version, VersionResult.Failed, []);
            throw;
        }
        var summary = ApplyResult.Summarize(outcomes);
        var succeeded = outcomes.All(o => o.Status == StepStatus.Succeeded);
        version = History.Finish(version, succeeded ? VersionResult.Succeeded : VersionResult.Failed, summary);
        return new ApplyResult(plan, outcomes, version, clock.Elapsed, notices);
    }

    private ResourceGraph Empty() => new(Stack, []);
}
