using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Resilience.Engine.Providers;
using Resilience.Model;

namespace Resilience.Testing;

/// <summary>The "real world" of the fake provider: instances by id, and a log of what was done in order.</summary>
public sealed class FakeWorld
{
    private int _nextId;

    public ConcurrentDictionary<string, (string Name, JsonObject Inputs)> Instances { get; } = new();
    public ConcurrentQueue<string> Log { get; } = new();

    public string NewId(string name) => $"{name}#{Interlocked.Increment(ref _nextId)}";

    public IReadOnlyList<string> Ops(string verb) => Log.Where(l => l.StartsWith(verb + " ", StringComparison.Ordinal)).Select(l => l[(verb.Length + 1)..]).ToList();

    public int CountNamed(string name) => Instances.Values.Count(i => i.Name == name);
}

/// <summary>
/// An in-memory provider of family "fake". Key "image" forces a replace ("storage" too, losing data), "config"
/// reloads, anything else updates in place. Inputs with key "bad" fail Check. Failures can be injected per name,
/// before or after the effect (the latter is what a crash between doing and recording looks like).
/// </summary>
public sealed class FakeProvider(FakeWorld world) : IProvider
{
    private int _running;
    private int _maxRunning;

    public string Family => "fake";

    /// <summary>Resources of this type hold data, like a volume or a stream.</summary>
    public const string StoreType = "fake:store";

    public bool HoldsData(string type) => type == StoreType;
    public TimeSpan Delay { get; set; }
    public int MaxRunning => _maxRunning;
    public ConcurrentDictionary<string, bool> FailBefore { get; } = new();
    public ConcurrentDictionary<string, bool> FailAfter { get; } = new();

    /// <summary>"verb:name" → the operation, once done, waits here (so a test can copy the state mid-flight).</summary>
    public ConcurrentDictionary<string, TaskCompletionSource> Hold { get; } = new();
    public TaskCompletionSource Held { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Failures are injected by "name" (any operation) or "verb:name".</summary>
    private static bool Hit(ConcurrentDictionary<string, bool> failures, string verb, string name) =>
        failures.ContainsKey(name) || failures.ContainsKey($"{verb}:{name}");

    public CheckResult Check(Resource desired) =>
        desired.Inputs.ContainsKey("bad") ? CheckResult.Failed(desired, new CheckFailure("bad", $"is not allowed ({desired.Inputs["bad"]})")) : CheckResult.Valid(desired);

    public DiffResult Diff(ResourceState recorded, CheckResult checkedResource)
    {
        var desired = checkedResource.Desired;
        var keys = recorded.Inputs.Select(p => p.Key).Union(desired.Inputs.Select(p => p.Key))
            .Where(k => !JsonNode.DeepEquals(recorded.Inputs[k], desired.Inputs[k])).ToList();
        if (keys.Count == 0) return DiffResult.Same;
        var forcing = keys.Where(k => k is "image" or "storage").ToList();
        if (forcing.Count > 0) return DiffResult.Replace(forcing, deletesData: forcing.Contains("storage"));
        return keys.All(k => k == "config") ? DiffResult.Reload(keys) : DiffResult.Update(keys);
    }

    public Task<JsonObject> CreateAsync(Resource desired, CancellationToken ct) => Act("create", desired.Name, ct, () =>
    {
        var id = world.NewId(desired.Name);
        world.Instances[id] = (desired.Name, (JsonObject)desired.Inputs.DeepClone());
        return new JsonObject { ["id"] = id };
    });

    public Task<ReadResult?> ReadAsync(ResourceState recorded, CancellationToken ct)
    {
        var id = Find(recorded);
        ReadResult? result = id is null ? null
            : new ReadResult((JsonObject)world.Instances[id].Inputs.DeepClone(), new JsonObject { ["id"] = id });
        return Task.FromResult(result);
    }

    public Task<JsonObject> UpdateAsync(ResourceState recorded, Resource desired, DiffResult diff, CancellationToken ct) =>
        Act(diff.Kind == DiffKind.Reload ? "reload" : "update", desired.Name, ct, () =>
        {
            var id = Find(recorded) ?? throw new InvalidOperationException($"{desired.Name} does not exist");
            world.Instances[id] = (desired.Name, (JsonObject)desired.Inputs.DeepClone());
            return new JsonObject { ["id"] = id };
        });

    public Task DeleteAsync(ResourceState recorded, CancellationToken ct) => Act("delete", recorded.Name, ct, () =>
    {
        if (Find(recorded) is { } id) world.Instances.TryRemove(id, out _);
        return new JsonObject();
    });

    /// <summary>By the recorded id; with none (a pending create) by name, as a real provider finds by its physical name.</summary>
    private string? Find(ResourceState recorded)
    {
        if (recorded.Outputs["id"]?.GetValue<string>() is { } id) return world.Instances.ContainsKey(id) ? id : null;
        return world.Instances.Where(i => i.Value.Name == recorded.Name).Select(i => i.Key).LastOrDefault();
    }

    private async Task<JsonObject> Act(string verb, string name, CancellationToken ct, Func<JsonObject> effect)
    {
        var running = Interlocked.Increment(ref _running);
        InterlockedMax(ref _maxRunning, running);
        try
        {
            if (Delay > TimeSpan.Zero) await Task.Delay(Delay, ct);
            if (Hit(FailBefore, verb, name)) throw new InvalidOperationException($"{verb} of {name} failed (injected)");
            var outputs = effect();
            world.Log.Enqueue($"{verb} {name}");
            if (Hold.TryGetValue($"{verb}:{name}", out var hold))
            {
                Held.TrySetResult();
                await hold.Task;
            }
            if (Hit(FailAfter, verb, name)) throw new IOException($"connection lost after {verb} of {name} (injected)");
            return outputs;
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current) { }
    }
}
