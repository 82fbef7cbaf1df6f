using System.Text.Json.Nodes;
using Resilience.Engine.Providers;
using Resilience.Model;

namespace Resilience.Providers.JetStream;

/// <summary>
/// Streams and consumers made real from their inputs, without the engine: what CLI sub-commands call
/// (apply-from-inputs-JSON, delete-from-inputs-JSON). Every operation is idempotent and says whether it changed anything.
/// </summary>
public sealed class JetStreamOperations(TimeSpan? timeout = null)
{
    public static readonly string StreamType = StreamKind.TypeName;
    public static readonly string ConsumerType = ConsumerKind.TypeName;

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    private static readonly Dictionary<string, JetStreamKind> Kinds = new()
    {
        [StreamType] = new StreamKind(),
        [ConsumerType] = new ConsumerKind(),
    };

    private readonly TimeSpan _timeout = timeout ?? DefaultTimeout;

    public static IReadOnlyCollection<string> Types => Kinds.Keys;

    /// <summary>Parses inputs given as JSON text (secrets as {"$secret": "..."} or plain strings).</summary>
    public static JsonObject ParseInputs(string json) =>
        JsonNode.Parse(json) as JsonObject ?? throw new ArgumentException("the inputs must be a JSON object");

    /// <summary>Every problem with the inputs, one message per problem naming its key; empty when they are valid.</summary>
    public static IReadOnlyList<CheckFailure> Check(string type, JsonObject inputs) =>
        Kinds.TryGetValue(type, out var kind) ? kind.Check(inputs) : [new CheckFailure("", $"unknown type {type} (known: {string.Join(", ", Types)})")];

    /// <summary>Creates the object, or updates it to match; Unchanged when it already matches.</summary>
    /// <param name="replaceWhenRefused">Delete and re-create when the server refuses the change in place (loses its data).</param>
    /// <exception cref="JetStreamException">The server cannot be reached, or refuses (named in the message).</exception>
    public async Task<ApplyResult> ApplyAsync(string type, JsonObject inputs, bool replaceWhenRefused = false, CancellationToken ct = default)
    {
        var kind = KindOf(type, inputs);
        await using var session = await OpenAsync(kind, inputs, ct);
        var change = await kind.ApplyAsync(session, inputs, replaceWhenRefused);
        return new ApplyResult(change, kind.Outputs(inputs));
    }

    /// <summary>The live object as inputs shaped like <paramref name="recorded"/> (its spelling kept where they agree); null when gone.</summary>
    public async Task<JsonObject?> ReadAsync(string type, JsonObject recorded, CancellationToken ct = default)
    {
        var kind = KindOf(type, recorded);
        await using var session = await OpenAsync(kind, recorded, ct);
        return await kind.ReadAsync(session, recorded);
    }

    /// <summary>Deletes the object; false when it was already gone.</summary>
    public async Task<bool> DeleteAsync(string type, JsonObject inputs, CancellationToken ct = default)
    {
        var kind = KindOf(type, inputs);
        await using var session = await OpenAsync(kind, inputs, ct);
        return await kind.DeleteAsync(session, inputs);
    }

    public static JsonObject Outputs(string type, JsonObject inputs) => KindOf(type, inputs).Outputs(inputs);

    /// <summary>Same, Update (also for a new server, credentials or domain: the address, not the object), or
    /// Replace with DeletesData when a key the server cannot change in place differs.</summary>
    public static DiffResult Diff(string type, JsonObject recorded, JsonObject desired)
    {
        var kind = KindOf(type, desired);
        var objectKeys = kind.ChangedKeys(recorded, desired);
        var refused = objectKeys.Intersect(kind.ReplaceKeys).ToList();
        if (refused.Count > 0) return DiffResult.Replace(refused, deletesData: true);
        var keys = kind.Target(recorded).ChangedKeys(kind.Target(desired)).Concat(objectKeys).ToList();
        return keys.Count == 0 ? DiffResult.Same : DiffResult.Update(keys);
    }

    private Task<JetStreamSession> OpenAsync(JetStreamKind kind, JsonObject inputs, CancellationToken ct) =>
        JetStreamSession.OpenAsync(kind.Target(inputs), _timeout, ct);

    private static JetStreamKind KindOf(string type, JsonObject inputs)
    {
        var problems = Check(type, inputs);
        return problems.Count == 0 ? Kinds[type] : throw JetStreamInputsReader.Invalid(type, problems);
    }
}
