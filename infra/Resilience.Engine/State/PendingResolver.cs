using Resilience.Engine.Providers;
using Resilience.Engine.Secrets;

namespace Resilience.Engine.State;

/// <summary>
/// Settles the operations an interrupted run left pending, by reading the real world: whatever exists is recorded,
/// whatever is gone is dropped. After this the planner sees a state that matches reality again, so creates are
/// not repeated blindly and deletes are retried only for what still exists.
/// </summary>
public sealed class PendingResolver(ProviderRegistry providers, SecretCodec codec)
{
    /// <returns>One notice per settled operation, for the operator.</returns>
    public async Task<IReadOnlyList<string>> ResolveAsync(Checkpoint checkpoint, CancellationToken ct)
    {
        var notices = new List<string>();
        foreach (var op in checkpoint.Pending.ToList())
        {
            var provider = providers.Find(op.Resource.Family)
                ?? throw new InvalidOperationException($"pending {op.Kind.ToString().ToLowerInvariant()} of {op.Urn}: no provider for family '{op.Resource.Family}'");
            ReadResult? live;
            try
            {
                live = await provider.ReadAsync(op.Resource.ToState(codec), ct);
            }
            catch (Exception e) when (e is not (OperationCanceledException or ProviderUnavailableException))
            {
                throw new InvalidOperationException($"cannot settle the interrupted {Describe(op)}: reading it failed: {e.Message}", e);
            }
            notices.Add(Settle(checkpoint, op, live));
            checkpoint.Pending.Remove(op);
        }
        return notices;
    }

    private string Settle(Checkpoint checkpoint, PendingOperation op, ReadResult? live)
    {
        var recorded = checkpoint.Find(op.Urn);
        switch (op.Kind)
        {
            case PendingKind.Create when live is null:
                return $"interrupted {Describe(op)}: it does not exist; it will be created again";
            case PendingKind.Create when recorded is not null:
                // A create-before-delete replace was cut short. Which instance Read found is ambiguous, so keep
                // the recorded original: the plan replaces again.
                return $"interrupted replace of {op.Urn}: kept the recorded original; if a replacement was made it is not tracked";
            case PendingKind.Create:
                checkpoint.Put(WithLive(op.Resource, live));
                return $"interrupted {Describe(op)}: it exists, so it is now recorded (no second create)";
            case PendingKind.Update when live is null:
                checkpoint.Remove(op.Urn);
                return $"interrupted {Describe(op)}: it no longer exists; dropped from the state";
            case PendingKind.Update:
                checkpoint.Put(WithLive(recorded ?? op.Resource, live));
                return $"interrupted {Describe(op)}: recorded what it is now";
            case PendingKind.Delete when op.Orphan:
                if (live is null)
                {
                    checkpoint.Orphans.RemoveAll(o => o.SameInstanceAs(op.Resource));
                    return $"interrupted {Describe(op)}: it is gone";
                }
                if (!checkpoint.Orphans.Any(o => o.SameInstanceAs(op.Resource))) checkpoint.Orphans.Add(op.Resource);
                return $"interrupted {Describe(op)}: it still exists; it will be deleted";
            case PendingKind.Delete when live is null:
                if (recorded is not null && recorded.SameInstanceAs(op.Resource)) checkpoint.Remove(op.Urn);
                return $"interrupted {Describe(op)}: it is gone";
            case PendingKind.Delete:
                if (recorded is null) checkpoint.Put(WithLive(op.Resource, live));
                return $"interrupted {Describe(op)}: it still exists";
            default:
                throw new InvalidOperationException($"unknown pending operation {op.Kind}");
        }
    }

    private StoredResource WithLive(StoredResource record, ReadResult live) =>
        record with { Inputs = codec.Encode(live.Inputs), Outputs = codec.Encode(live.Outputs) };

    private static string Describe(PendingOperation op) =>
        $"{(op.Orphan ? "delete of the replaced original of" : op.Kind.ToString().ToLowerInvariant() + " of")} {op.Urn} (started {op.Started:yyyy-MM-dd HH:mm:ss}Z)";
}
