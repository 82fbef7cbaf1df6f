using System.Diagnostics;
using System.Text.Json.Nodes;
using Resilience.Engine.Planning;
using Resilience.Engine.Providers;
using Resilience.Engine.Secrets;
using Resilience.Engine.State;

namespace Resilience.Engine.Execution;

/// <summary>
/// Runs a plan's steps with bounded parallelism: a step starts once every step it waits for has succeeded; a
/// failure skips its dependents, while independent steps go on. Each operation is recorded as pending before
/// the provider is called and replaced by its result after, each time saving the checkpoint.
/// </summary>
public sealed class Executor(ProviderRegistry providers, SecretCodec codec, CheckpointRecorder recorder)
{
    public const int DefaultParallelism = 4;

    /// <summary>Set when a provider's back end stopped answering: steps not yet started are skipped with it.</summary>
    private volatile string? _unavailable;

    public async Task<IReadOnlyList<StepOutcome>> RunAsync(Plan plan, int maxParallelism = DefaultParallelism,
        IProgress<StepEvent>? progress = null, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxParallelism, 1);
        using var slots = new SemaphoreSlim(maxParallelism);
        var done = plan.Steps.Select(_ => new TaskCompletionSource<StepStatus>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var outcomes = new StepOutcome[plan.Steps.Count];

        async Task RunOne(PlanStep step)
        {
            try
            {
                await RunStep(step);
            }
            finally
            {
                // An engine fault (not a provider failure) still releases the dependents, which then skip.
                done[step.Index].TrySetResult(StepStatus.Failed);
            }
        }

        async Task RunStep(PlanStep step)
        {
            var before = await Task.WhenAll(step.WaitsFor.Select(i => done[i].Task));
            StepOutcome outcome;
            if (before.Any(s => s != StepStatus.Succeeded))
            {
                outcome = Skip(step, "a step it depends on did not succeed", progress);
            }
            else if (step.Kind == StepKind.Same)
            {
                if (step.RecordChanged) recorder.Record(c => c.Put(step.Recorded! with { DependsOn = [.. step.Desired!.DependsOn], Options = step.Desired.Options }));
                outcome = new StepOutcome(step, StepStatus.Succeeded, TimeSpan.Zero);
            }
            else
            {
                outcome = await RunGated(step, slots, progress, ct);
                if (outcome.Status == StepStatus.Failed) await RecordAsTheyAreAsync(step.WaitsFor.Select(i => plan.Steps[i]), ct);
            }
            outcomes[step.Index] = outcome;
            done[step.Index].TrySetResult(outcome.Status);
        }

        await Task.WhenAll(plan.Steps.Select(s => Task.Run(() => RunOne(s), CancellationToken.None)));
        return outcomes;
    }

    private async Task<StepOutcome> RunGated(PlanStep step, SemaphoreSlim slots, IProgress<StepEvent>? progress, CancellationToken ct)
    {
        try
        {
            await slots.WaitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return Skip(step, "cancelled", progress);
        }
        try
        {
            if (ct.IsCancellationRequested) return Skip(step, "cancelled", progress);
            if (_unavailable is { } why) return Skip(step, $"not started: {why}", progress);
            var clock = Stopwatch.StartNew();
            progress?.Report(new StepEvent(step, StepStatus.Started, DateTimeOffset.UtcNow, TimeSpan.Zero));
            try
            {
                await Apply(step, ct);
            }
            catch (Exception e)
            {
                var error = e is OperationCanceledException ? "cancelled while running" : e.Message;
                if (e is ProviderUnavailableException) _unavailable ??= e.Message;
                progress?.Report(new StepEvent(step, StepStatus.Failed, DateTimeOffset.UtcNow, clock.Elapsed, error));
                return new StepOutcome(step, StepStatus.Failed, clock.Elapsed, error);
            }
            progress?.Report(new StepEvent(step, StepStatus.Succeeded, DateTimeOffset.UtcNow, clock.Elapsed));
            return new StepOutcome(step, StepStatus.Succeeded, clock.Elapsed);
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>
    /// A failed step may have changed what it depends on (a service that refused its new config had the old content put
    /// back): the steps it waited for, which this run applied, are read again and recorded as they are, so the state never
    /// claims what is not there and the next up applies them again. Best effort: a read that fails leaves the record.
    /// </summary>
    private async Task RecordAsTheyAreAsync(IEnumerable<PlanStep> applied, CancellationToken ct)
    {
        foreach (var step in applied.Where(s => s.Kind != StepKind.Delete))
        {
            if (recorder.Find(step.Urn) is not { } record || providers.Find(record.Family) is not { } provider) continue;
            ReadResult? live;
            try
            {
                live = await provider.ReadAsync(record.ToState(codec), ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                continue;
            }
            if (live is null) continue;
            var now = record with { Inputs = codec.Encode(live.Inputs), Outputs = codec.Encode(live.Outputs) };
            if (JsonNode.DeepEquals(now.Inputs, record.Inputs) && JsonNode.DeepEquals(now.Outputs, record.Outputs)) continue;
            recorder.Record(c => c.Put(now));
        }
    }

    private static StepOutcome Skip(PlanStep step, string reason, IProgress<StepEvent>? progress)
    {
        progress?.Report(new StepEvent(step, StepStatus.Skipped, DateTimeOffset.UtcNow, TimeSpan.Zero, reason));
        return new StepOutcome(step, StepStatus.Skipped, TimeSpan.Zero, reason);
    }

    private Task Apply(PlanStep step, CancellationToken ct) => step.Kind switch
    {
        StepKind.Create => Create(step, ct),
        StepKind.Update or StepKind.Reload => Update(step, ct),
        StepKind.Delete when step.Retain => Forget(step.Recorded!),
        StepKind.Delete => Delete(step.Recorded!, step.Orphan, ct),
        StepKind.Replace when step.DeleteBeforeReplace => DeleteThenCreate(step, ct),
        StepKind.Replace => CreateThenDelete(step, ct),
        _ => throw new InvalidOperationException($"nothing to run for a {step.Kind} step"),
    };

    // A failed provider call leaves its pending operation in place on purpose: the outcome is unknown, and the next
    // run settles it by reading the real world.

    private async Task Create(PlanStep step, CancellationToken ct)
    {
        var desired = step.Desired!;
        var pending = PendingOperation.Start(PendingKind.Create, StoredResource.From(desired, new(), codec));
        recorder.Record(c => c.Pending.Add(pending));
        var outputs = await providers.For(desired.Family).CreateAsync(desired, ct);
        recorder.Record(c =>
        {
            c.Put(StoredResource.From(desired, outputs, codec));
            c.Pending.Remove(pending);
        });
    }

    private async Task Update(PlanStep step, CancellationToken ct)
    {
        var desired = step.Desired!;
        var recorded = step.Recorded!;
        var pending = PendingOperation.Start(PendingKind.Update, recorded);
        recorder.Record(c => c.Pending.Add(pending));
        var outputs = await providers.For(desired.Family).UpdateAsync(recorded.ToState(codec, desired.Inputs), desired, step.Diff!, ct);
        recorder.Record(c =>
        {
            c.Put(StoredResource.From(desired, outputs, codec));
            c.Pending.Remove(pending);
        });
    }

    private async Task Delete(StoredResource recorded, bool orphan, CancellationToken ct)
    {
        var pending = PendingOperation.Start(PendingKind.Delete, recorded, orphan);
        recorder.Record(c => c.Pending.Add(pending));
        await providers.For(recorded.Family).DeleteAsync(recorded.ToState(codec), ct);
        recorder.Record(c =>
        {
            if (orphan) c.Orphans.RemoveAll(o => ReferenceEquals(o, recorded) || o.SameInstanceAs(recorded));
            else c.Remove(recorded.Urn);
            c.Pending.Remove(pending);
        });
    }

    /// <summary>A retained resource leaves the state only; the real one stays as it is.</summary>
    private Task Forget(StoredResource recorded)
    {
        recorder.Record(c => c.Remove(recorded.Urn));
        return Task.CompletedTask;
    }

    private async Task DeleteThenCreate(PlanStep step, CancellationToken ct)
    {
        await Delete(step.Recorded!, orphan: false, ct);
        await Create(step, ct);
    }

    /// <summary>The replacement is recorded under the URN and the original moves to the orphans until it is deleted.</summary>
    private async Task CreateThenDelete(PlanStep step, CancellationToken ct)
    {
        var desired = step.Desired!;
        var original = step.Recorded!;
        var creating = PendingOperation.Start(PendingKind.Create, StoredResource.From(desired, new(), codec));
        recorder.Record(c => c.Pending.Add(creating));
        var outputs = await providers.For(desired.Family).CreateAsync(desired, ct);
        var deleting = PendingOperation.Start(PendingKind.Delete, original, orphan: true);
        recorder.Record(c =>
        {
            c.Put(StoredResource.From(desired, outputs, codec));
            c.Orphans.Add(original);
            c.Pending.Remove(creating);
            c.Pending.Add(deleting);
        });
        await providers.For(original.Family).DeleteAsync(original.ToState(codec), ct);
        recorder.Record(c =>
        {
            c.Orphans.Remove(original);
            c.Pending.Remove(deleting);
        });
    }
}
