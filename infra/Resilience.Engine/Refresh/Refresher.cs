using Resilience.Engine.Planning;
using Resilience.Engine.Providers;
using Resilience.Engine.Secrets;
using Resilience.Engine.State;

namespace Resilience.Engine.Refresh;

/// <summary>Reads every recorded resource from the real world and compares it with the record.</summary>
public sealed class Refresher(ProviderRegistry providers, SecretCodec codec)
{
    /// <param name="Unread">Not read, since something it depends on drifted: its record stays.</param>
    public sealed record Reading(StoredResource Recorded, ReadResult? Live, ResourceDrift Drift, bool Unread = false);

    public async Task<IReadOnlyList<Reading>> ReadAllAsync(Checkpoint checkpoint, RefreshOptions options, CancellationToken ct)
    {
        var recorded = checkpoint.Resources.Where(r => options.Targets is null || options.Targets.Contains(r.Urn)).ToList();
        var missing = recorded.Where(r => providers.Find(r.Family) is null).Select(r => $"{r.Urn}: no provider for family '{r.Family}'").ToList();
        if (missing.Count > 0) throw new PlanException(checkpoint.Stack, missing);

        var readings = new Reading?[recorded.Count];
        var failures = new Exception?[recorded.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, recorded.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelism, CancellationToken = ct },
            async (i, token) =>
            {
                var record = recorded[i];
                var state = record.ToState(codec);
                try
                {
                    var live = await providers.For(record.Family).ReadAsync(state, token);
                    readings[i] = new Reading(record, live, Compare(record, state, live));
                }
                catch (Exception e) when (e is not (OperationCanceledException or ProviderUnavailableException))
                {
                    failures[i] = e;
                }
            });
        KeepUnreadBehindDrift(recorded, readings, failures);
        return readings.Select(r => r!).ToList();
    }

    /// <summary>
    /// A resource that could not be read because something it depends on (directly, or through another such resource) is
    /// down, like a stream whose server's container exited, is kept as recorded with the reason, so the repair of what it
    /// depends on can run; any other read failure is the refresh's failure.
    /// </summary>
    private static void KeepUnreadBehindDrift(IReadOnlyList<StoredResource> recorded, Reading?[] readings, Exception?[] failures)
    {
        var down = readings.OfType<Reading>().Where(r => r.Drift.Status != DriftStatus.InSync).Select(r => r.Recorded.Urn).ToHashSet();
        for (var kept = true; kept;)
        {
            kept = false;
            for (var i = 0; i < recorded.Count; i++)
            {
                if (readings[i] is not null || recorded[i].DependsOn.Where(down.Contains).ToList() is not { Count: > 0 } behind) continue;
                var drift = new ResourceDrift(recorded[i].Urn, recorded[i].Type, DriftStatus.InSync, [])
                {
                    Detail = [$"not read ({failures[i]!.Message}); kept as recorded: it depends on {string.Join(", ", behind)}, which is not as recorded"],
                };
                readings[i] = new Reading(recorded[i], null, drift, Unread: true);
                down.Add(recorded[i].Urn);
                kept = true;
            }
        }
        if (Array.FindIndex(readings, r => r is null) is var first and >= 0) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failures[first]!);
    }

    /// <summary>Replaces the records with what was read; drops what is gone.</summary>
    public void Apply(Checkpoint checkpoint, IEnumerable<Reading> readings)
    {
        foreach (var reading in readings.Where(r => !r.Unread))
        {
            if (reading.Live is null) checkpoint.Remove(reading.Recorded.Urn);
            else checkpoint.Put(reading.Recorded with { Inputs = codec.Encode(reading.Live.Inputs), Outputs = codec.Encode(reading.Live.Outputs) });
        }
    }

    private ResourceDrift Compare(StoredResource record, ResourceState state, ReadResult? live)
    {
        if (live is null) return new ResourceDrift(record.Urn, record.Type, DriftStatus.Gone, []);
        var changes = PropertyDiff.Between(state.Inputs, live.Inputs, codec);
        return changes.Count == 0
            ? new ResourceDrift(record.Urn, record.Type, DriftStatus.InSync, [])
            : new ResourceDrift(record.Urn, record.Type, DriftStatus.Changed, changes) { Detail = live.Detail };
    }
}
