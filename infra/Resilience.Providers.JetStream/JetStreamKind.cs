using System.Text.Json.Nodes;
using Resilience.Model;

namespace Resilience.Providers.JetStream;

/// <summary>What differs between streams and consumers: how to validate, compare, apply, read and delete one.</summary>
internal abstract class JetStreamKind
{
    public abstract string Type { get; }

    /// <summary>Keys whose change nats-server refuses in place.</summary>
    public abstract IReadOnlyList<string> ReplaceKeys { get; }

    /// <summary>Every problem with the inputs (the target's keys and the object's), each naming its key.</summary>
    public abstract IReadOnlyList<CheckFailure> Check(JsonObject inputs);

    /// <summary>Where the object lives (inputs already checked).</summary>
    public abstract JetStreamTarget Target(JsonObject inputs);

    /// <summary>The object keys (not the target's) in which <paramref name="old"/> does not match <paramref name="wanted"/>.</summary>
    public abstract IReadOnlyList<string> ChangedKeys(JsonObject old, JsonObject wanted);

    public abstract Task<ApplyChange> ApplyAsync(JetStreamSession session, JsonObject inputs, bool replaceWhenRefused);

    /// <summary>The live object as inputs shaped like <paramref name="recorded"/>; null when it is gone.</summary>
    public abstract Task<JsonObject?> ReadAsync(JetStreamSession session, JsonObject recorded);

    /// <summary>False when it was already gone.</summary>
    public abstract Task<bool> DeleteAsync(JetStreamSession session, JsonObject inputs);

    public abstract JsonObject Outputs(JsonObject inputs);

    protected static JetStreamException Refused(string what, JetStreamTarget target, IEnumerable<string> keys) => new(
        $"{what} at {target} cannot change {string.Join(", ", keys)} in place (nats-server refuses it); " +
        "it must be deleted and made again, which loses its data: delete it first or allow the replace");
}
