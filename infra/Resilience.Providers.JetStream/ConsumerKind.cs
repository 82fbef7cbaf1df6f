using System.Text.Json.Nodes;
using Resilience.Contracts;
using Resilience.Contracts.JetStream;
using Resilience.Model;

namespace Resilience.Providers.JetStream;

internal sealed class ConsumerKind : JetStreamKind
{
    public static readonly string TypeName = ResourceTypes.TypeOf<ConsumerInputs>();

    public override string Type => TypeName;

    public override IReadOnlyList<string> ReplaceKeys => ConsumerSpec.ReplaceKeys;

    public override IReadOnlyList<CheckFailure> Check(JsonObject inputs) => ConsumerSpec.Check(inputs).Failures;

    public override JetStreamTarget Target(JsonObject inputs) => JetStreamTarget.From(ConsumerSpec.Check(inputs).Inputs);

    public override IReadOnlyList<string> ChangedKeys(JsonObject old, JsonObject wanted) =>
        Spec(old).ChangedKeys(Spec(wanted));

    public override async Task<ApplyChange> ApplyAsync(JetStreamSession session, JsonObject inputs, bool replaceWhenRefused)
    {
        var wanted = Spec(inputs);
        var what = $"consumer '{wanted.Name}' of stream '{wanted.Stream}'";
        var live = await session.FindAsync($"read {what}", js => js.GetConsumerAsync(wanted.Stream, wanted.Name));
        if (live is null)
        {
            await session.CallAsync($"create {what}", js => js.CreateOrUpdateConsumerAsync(wanted.Stream, wanted.ToConfig()));
            return ApplyChange.Created;
        }

        var changed = ConsumerSpec.FromLive(wanted.Stream, live.Info.Config).ChangedKeys(wanted);
        if (changed.Count == 0) return ApplyChange.Unchanged;
        var refused = changed.Intersect(ReplaceKeys).ToList();
        if (refused.Count == 0)
        {
            await session.CallAsync($"update {what}", js => js.UpdateConsumerAsync(wanted.Stream, wanted.ToConfig()));
            return ApplyChange.Updated;
        }
        if (!replaceWhenRefused) throw Refused(what, session.Target, refused);
        await session.CallAsync($"delete {what}", js => js.DeleteConsumerAsync(wanted.Stream, wanted.Name));
        await session.CallAsync($"create {what}", js => js.CreateOrUpdateConsumerAsync(wanted.Stream, wanted.ToConfig()));
        return ApplyChange.Replaced;
    }

    public override async Task<JsonObject?> ReadAsync(JetStreamSession session, JsonObject recorded)
    {
        var spec = Spec(recorded);
        var live = await session.FindAsync(
            $"read consumer '{spec.Name}' of stream '{spec.Stream}'", js => js.GetConsumerAsync(spec.Stream, spec.Name));
        return live is null ? null : ConsumerSpec.FromLive(spec.Stream, live.Info.Config).ToLiveInputs(recorded, spec);
    }

    public override async Task<bool> DeleteAsync(JetStreamSession session, JsonObject inputs)
    {
        var spec = Spec(inputs);
        var deleted = await session.FindAsync(
            $"delete consumer '{spec.Name}' of stream '{spec.Stream}'",
            async js => (object)await js.DeleteConsumerAsync(spec.Stream, spec.Name));
        return deleted is not null;
    }

    public override JsonObject Outputs(JsonObject inputs)
    {
        var spec = Spec(inputs);
        return new JsonObject { ["stream"] = spec.Stream, ["consumer"] = spec.Name };
    }

    private static ConsumerSpec Spec(JsonObject inputs) => ConsumerSpec.Read(inputs);
}
