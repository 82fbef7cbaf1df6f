using Resilience.Engine.Planning;
using Resilience.Engine.Providers;
using Resilience.Engine.Secrets;
using Resilience.Engine.State;

namespace Resilience.Engine.Refresh;

/// <summary>Reads every recorded resource from the real world and compares it with the record.</summary>
public sealed class Refresher(ProviderRegistry providers, SecretCodec codec)
{
    public sealed record Reading(StoredResource Recorded, ReadResult? Live, ResourceDrift Drift);

    public async Task<IReadOnlyList<Reading>> ReadAllAsync(Checkpoint checkpoint, RefreshOptions options, CancellationToken ct)
    {
        var recorded = checkpoint.Resources.Where(r => options.Targets is null || options.Targets.Contains(r.Urn)).ToList();
        var missing = recorded.Where(r => providers.Find(r.Family) is null).Select(r => $"{r.Urn}: no provider for family '{r.Family}'").ToList();
        if (missing.Count > 0) throw new PlanException(checkpoint.Stack, missing);

        var readings = new Reading[recorded.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, recorded.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelism, CancellationToken = ct },
            async (i, token) =>
            {
                var record = recorded[i];
                var state = record.ToState(codec);
                var live = await providers.For(record.Family).ReadAsync(state, token);
                readings[i] = new Reading(record, live, Compare(record, state, live));
            });
        return readings;
    }

    /// <summary>Replaces the records with what was read; drops what is gone.</summary>
    public void Apply(Checkpoint checkpoint, IEnumerable<Reading> readings)
    {
        foreach (var reading in readings)
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
