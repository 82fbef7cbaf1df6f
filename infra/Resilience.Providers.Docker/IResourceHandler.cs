using Resilience.Contracts;

namespace Resilience.Providers.Docker;

/// <summary>The provider contract for one resource type of the docker family.</summary>
internal interface IResourceHandler
{
    CheckResult Check(Resource desired);
    DiffResult Diff(ResourceState recorded, CheckResult desired);
    Task<JsonObject> CreateAsync(Resource desired, CancellationToken ct);
    Task<ReadResult?> ReadAsync(ResourceState recorded, CancellationToken ct);
    Task<JsonObject> UpdateAsync(ResourceState recorded, Resource desired, DiffResult diff, CancellationToken ct);
    Task DeleteAsync(ResourceState recorded, CancellationToken ct);
}

/// <summary>Reads a docker resource's inputs as its contract record, once, with the shared reader.</summary>
internal static class DockerInputs
{
    /// <summary>The inputs read, and the resource with its inputs normalised (written back by the one serializer) when valid.</summary>
    public static (InputsRead<T> Read, CheckResult Result) Check<T>(Resource desired) where T : class
    {
        var read = ContractJson.Read<T>(desired.Inputs);
        return (read, read.Ok ? CheckResult.Valid(desired with { Inputs = ContractJson.Write(read.Value) }) : CheckResult.Failed(desired, read.Failures));
    }

    /// <summary>The valid inputs of a resource the engine checked before (a failure here is a caller that skipped Check).</summary>
    public static T Of<T>(Resource desired) where T : class => ContractJson.Read<T>(desired.Inputs).Valid;

    /// <summary>Same, or Replace/Reload/Update of the changed keys as the contract's marks say.</summary>
    public static DiffResult Decide<T>(JsonObject recorded, JsonObject desired)
    {
        var changed = InputDiff.ChangedKeys(recorded, desired);
        if (changed.Count == 0) return DiffResult.Same;
        var contract = ResourceContract.Of<T>();
        var forcing = contract.Forcing(changed);
        if (forcing.Count > 0) return DiffResult.Replace(forcing, contract.HoldsData);
        return contract.Reloads(changed) ? DiffResult.Reload(changed) : DiffResult.Update(changed);
    }
}
