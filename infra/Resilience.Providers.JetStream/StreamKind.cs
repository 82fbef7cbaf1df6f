using System.Text.Json.Nodes;
using Resilience.Contracts;
using Resilience.Contracts.JetStream;
using Resilience.Model;

namespace Resilience.Providers.JetStream;

internal sealed class StreamKind : JetStreamKind
{
    public static readonly string TypeName = ResourceTypes.TypeOf<StreamInputs>();

    public override string Type => TypeName;

    public override IReadOnlyList<string> ReplaceKeys => StreamSpec.ReplaceKeys;

    public override IReadOnlyList<CheckFailure> Check(JsonObject inputs) => StreamSpec.Check(inputs).Failures;

    public override JetStreamTarget Target(JsonObject inputs) => JetStreamTarget.From(StreamSpec.Check(inputs).Inputs);

    public override IReadOnlyList<string> ChangedKeys(JsonObject old, JsonObject wanted) =>
        Spec(old).ChangedKeys(Spec(wanted));

    /// <summary>nats-server 2.9's answer when a stream needs more servers than the cluster has up ("no suitable peers for placement").</summary>
    public const int NoSuitablePeersCode = 10005;

    /// <summary>"insufficient resources": the same refusal, given by some versions and placements.</summary>
    public const int InsufficientResourcesCode = 10023;

    /// <summary>"JetStream system temporarily unavailable": a clustered server without a meta leader.</summary>
    public const int TemporarilyUnavailableCode = 10008;

    private static bool NoMetaLeader(JetStreamException e) => e.TimedOut || e.ErrorCode == TemporarilyUnavailableCode;

    public override async Task<ApplyChange> ApplyAsync(JetStreamSession session, JsonObject inputs, bool replaceWhenRefused)
    {
        var wanted = Spec(inputs);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await ApplyAsync(session, wanted, replaceWhenRefused);
            }
            catch (JetStreamException e) when (wanted.Replicas > 1 && e.ErrorCode is NoSuitablePeersCode or InsufficientResourcesCode
                && clock.Elapsed < PlacementGrace)
            {
                // A node that has just started may not be a placement peer yet: ask again for a few seconds.
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
            catch (JetStreamException e) when (wanted.Replicas > 1 && NoMetaLeader(e) && clock.Elapsed < ElectionGrace)
            {
                // A cluster whose last node has just started answers nothing, or "temporarily unavailable", until it
                // has elected a meta leader (seen to take over 5 s on a loaded machine): ask again.
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
            catch (JetStreamException e) when (wanted.Replicas > 1)
            {
                throw Clustered(session, wanted, e);
            }
        }
    }

    /// <summary>How long a clustered stream's placement is retried while the cluster has too few peers.</summary>
    public static readonly TimeSpan PlacementGrace = TimeSpan.FromSeconds(10);

    /// <summary>How long a clustered stream's requests are repeated while the cluster answers nothing (no meta leader yet).</summary>
    public static readonly TimeSpan ElectionGrace = TimeSpan.FromSeconds(20);

    private static JetStreamException Clustered(JetStreamSession session, StreamSpec wanted, JetStreamException e)
    {
        if (e.ErrorCode is NoSuitablePeersCode or InsufficientResourcesCode)
        {
            return new JetStreamException(
                $"stream '{wanted.Name}' needs {wanted.Replicas} servers in the JetStream cluster of {session.Target}, and fewer are up " +
                $"(the server answered: {e.Message}). Deploy the stacks of the cluster's other machines first, then run up again.", e)
            { ErrorCode = e.ErrorCode };
        }
        if (NoMetaLeader(e))
        {
            return new JetStreamException(
                $"stream '{wanted.Name}' ({wanted.Replicas} replicas): the JetStream cluster of {session.Target} has no meta leader (it did not answer in time, or answered \"temporarily unavailable\"). " +
                "A clustered stream needs a meta leader, which needs a majority of the cluster's servers up: deploy the stacks of the " +
                "cluster's other machines first, then run up again.", e)
            { TimedOut = e.TimedOut, ErrorCode = e.ErrorCode };
        }
        return e;
    }

    private async Task<ApplyChange> ApplyAsync(JetStreamSession session, StreamSpec wanted, bool replaceWhenRefused)
    {
        var what = $"stream '{wanted.Name}'";
        var live = await session.FindAsync($"read {what}", js => js.GetStreamAsync(wanted.Name));
        if (live is null)
        {
            await session.CallAsync($"create {what}", js => js.CreateStreamAsync(wanted.ToConfig()));
            return ApplyChange.Created;
        }

        var changed = StreamSpec.FromLive(live.Info.Config).ChangedKeys(wanted);
        if (changed.Count == 0) return ApplyChange.Unchanged;
        var refused = changed.Intersect(ReplaceKeys).ToList();
        if (refused.Count == 0)
        {
            await session.CallAsync($"update {what}", js => js.UpdateStreamAsync(wanted.ToConfig()));
            return ApplyChange.Updated;
        }
        if (!replaceWhenRefused) throw Refused(what, session.Target, refused);
        await session.CallAsync($"delete {what}", js => js.DeleteStreamAsync(wanted.Name));
        await session.CallAsync($"create {what}", js => js.CreateStreamAsync(wanted.ToConfig()));
        return ApplyChange.Replaced;
    }

    public override async Task<JsonObject?> ReadAsync(JetStreamSession session, JsonObject recorded)
    {
        var spec = Spec(recorded);
        var live = await session.FindAsync($"read stream '{spec.Name}'", js => js.GetStreamAsync(spec.Name));
        return live is null ? null : StreamSpec.FromLive(live.Info.Config).ToLiveInputs(recorded, spec);
    }

    public override async Task<bool> DeleteAsync(JetStreamSession session, JsonObject inputs)
    {
        var name = Spec(inputs).Name;
        var deleted = await session.FindAsync($"delete stream '{name}'", async js => (object)await js.DeleteStreamAsync(name));
        return deleted is not null;
    }

    public override JsonObject Outputs(JsonObject inputs) => new() { ["stream"] = Spec(inputs).Name };

    private static StreamSpec Spec(JsonObject inputs) => StreamSpec.Read(inputs);
}
