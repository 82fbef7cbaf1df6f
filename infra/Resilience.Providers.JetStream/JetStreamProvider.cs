using System.Text.Json.Nodes;
using Resilience.Contracts;
using Resilience.Engine.Providers;
using Resilience.Model;

namespace Resilience.Providers.JetStream;

/// <summary>NATS JetStream streams ("jetstream:stream") and durable consumers ("jetstream:consumer") for the engine.</summary>
public sealed class JetStreamProvider(JetStreamOperations? operations = null) : IProvider
{
    private readonly JetStreamOperations _operations = operations ?? new JetStreamOperations();

    public string Family => "jetstream";

    public bool HoldsData(string type) => JetStreamOperations.Types.Contains(type) && ResourceTypes.HoldsData(type);

    /// <summary>The shared reader's failures plus the durations'. The inputs are used as given: their spelling ("1440m")
    /// is what refresh keeps, and the stream's own comparison already treats equal values as equal.</summary>
    public CheckResult Check(Resource desired) => new(desired, JetStreamOperations.Check(desired.Type, desired.Inputs));

    public DiffResult Diff(ResourceState recorded, CheckResult desired) =>
        JetStreamOperations.Diff(desired.Desired.Type, recorded.Inputs, desired.Desired.Inputs);

    public async Task<JsonObject> CreateAsync(Resource desired, CancellationToken ct) =>
        (await _operations.ApplyAsync(desired.Type, desired.Inputs, replaceWhenRefused: false, ct)).Outputs;

    public async Task<ReadResult?> ReadAsync(ResourceState recorded, CancellationToken ct)
    {
        var live = await _operations.ReadAsync(recorded.Type, recorded.Inputs, ct);
        return live is null ? null : new ReadResult(live, JetStreamOperations.Outputs(recorded.Type, recorded.Inputs));
    }

    public async Task<JsonObject> UpdateAsync(ResourceState recorded, Resource desired, DiffResult diff, CancellationToken ct) =>
        (await _operations.ApplyAsync(desired.Type, desired.Inputs, replaceWhenRefused: false, ct)).Outputs;

    public Task DeleteAsync(ResourceState recorded, CancellationToken ct) =>
        _operations.DeleteAsync(recorded.Type, recorded.Inputs, ct);
}
