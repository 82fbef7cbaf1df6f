using System.Text.Json.Nodes;
using Resilience.Engine.Providers;
using Resilience.Model;

namespace Resilience.Providers.JetStream;

/// <summary>NATS JetStream streams ("jetstream:stream") and durable consumers ("jetstream:consumer") for the engine.</summary>
public sealed class JetStreamProvider(JetStreamOperations? operations = null) : IProvider
{
    private readonly JetStreamOperations _operations = operations ?? new JetStreamOperations();

    public string Family => "jetstream";

    public bool HoldsData(string type) => type == StreamKind.TypeName;

    public IReadOnlyList<string> Check(Resource desired)
    {
        var problems = JetStreamOperations.Check(desired.Type, desired.Inputs).ToList();
        if (desired.Inputs[JetStreamTarget.PasswordKey] is { } password && !Secret.IsSecret(password))
        {
            problems.Add($"{JetStreamTarget.PasswordKey}: must be a secret, so that it is never printed or stored in the clear");
        }
        return problems;
    }

    public DiffResult Diff(ResourceState recorded, Resource desired) =>
        JetStreamOperations.Diff(desired.Type, recorded.Inputs, desired.Inputs);

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
