using System.Text.Json.Nodes;
using Resilience.Contracts;
using Resilience.Contracts.Dotnet;
using Resilience.Engine.Providers;
using Resilience.Model;

namespace Resilience.Providers.Dotnet;

/// <summary>
/// "dotnet:publish": a self-contained single-file publish of a .NET project, the binary a local image is built from.
/// The program puts a hash of the project's sources in the inputs, so a source change shows in the preview as a
/// changed input (and, since the output folder is named by that hash, as a new publish and a new image).
/// </summary>
public sealed class DotnetProvider(TimeSpan? publishTimeout = null) : IProvider
{
    public static readonly string PublishType = ResourceTypes.TypeOf<PublishInputs>();

    private readonly DotnetPublisher _publisher = new(publishTimeout ?? TimeSpan.FromMinutes(10));

    public string Family => "dotnet";

    /// <summary>Whether the output folder holds a binary published from the sources the inputs name.</summary>
    private const string CurrentKey = "current";

    /// <summary>Reads the inputs, checks the project exists, and looks whether the output is current (one stat, one small read).</summary>
    public CheckResult Check(Resource desired)
    {
        if (desired.Type != PublishType)
            return CheckResult.Failed(desired, new CheckFailure("", $"unknown type {desired.Type}: the dotnet provider serves only {PublishType}"));
        var (spec, problems) = PublishSpec.Parse(desired.Inputs);
        if (spec is null) return CheckResult.Failed(desired, problems);
        if (!Directory.Exists(spec.Project) && !File.Exists(spec.Project))
            return CheckResult.Failed(desired, new CheckFailure(ResourceContract.Of<PublishInputs>().Key(nameof(PublishInputs.Project)), $"'{spec.Project}' does not exist"));
        return CheckResult.Valid(desired) with { Observed = new JsonObject { [CurrentKey] = DotnetPublisher.IsCurrent(spec) } };
    }

    /// <summary>Compares inputs; a deleted or foreign output (seen by Check) is published again.</summary>
    public DiffResult Diff(ResourceState recorded, CheckResult desired)
    {
        var changed = InputDiff.ChangedKeys(recorded.Inputs, desired.Desired.Inputs);
        var forcing = changed.Intersect(PublishSpec.ReplaceKeys).ToList();
        if (forcing.Count > 0) return DiffResult.Replace(forcing);
        if (changed.Count > 0) return DiffResult.Update(changed);
        return desired.Observed[CurrentKey]?.GetValue<bool>() == false ? DiffResult.Update(PublishSpec.BinaryKey) : DiffResult.Same;
    }

    public Task<JsonObject> CreateAsync(Resource desired, CancellationToken ct) => PublishAsync(desired, ct);

    public Task<JsonObject> UpdateAsync(ResourceState recorded, Resource desired, DiffResult diff, CancellationToken ct) => PublishAsync(desired, ct);

    public Task<ReadResult?> ReadAsync(ResourceState recorded, CancellationToken ct)
    {
        var spec = Parse(recorded.Inputs);
        if (!File.Exists(spec.BinaryPath)) return Task.FromResult<ReadResult?>(null);
        var live = recorded.Inputs.DeepClone().AsObject();
        // A binary published from other sources (or by hand) is drift the next `up` repairs.
        live[PublishSpec.SourceHashKey] = DotnetPublisher.StampOf(spec) ?? "unknown";
        return Task.FromResult<ReadResult?>(new ReadResult(live, Outputs(spec, new FileInfo(spec.BinaryPath).Length, reused: true, took: TimeSpan.Zero)));
    }

    /// <summary>
    /// Keeps the output: it is a build cache named by the sources, which other stacks built from the same sources
    /// use too (like Docker's build cache, which removing a container leaves alone).
    /// </summary>
    public Task DeleteAsync(ResourceState recorded, CancellationToken ct) => Task.CompletedTask;

    private async Task<JsonObject> PublishAsync(Resource desired, CancellationToken ct)
    {
        var spec = Parse(desired.Inputs);
        var result = await _publisher.PublishAsync(spec, ct);
        return Outputs(spec, result.SizeBytes, result.Reused, result.Took);
    }

    private static JsonObject Outputs(PublishSpec spec, long size, bool reused, TimeSpan took) => new()
    {
        ["path"] = spec.BinaryPath,
        ["sizeBytes"] = size,
        ["reused"] = reused,
        ["seconds"] = Math.Round(took.TotalSeconds, 1),
    };

    private static PublishSpec Parse(JsonObject inputs)
    {
        var (spec, problems) = PublishSpec.Parse(inputs);
        return spec ?? throw new InvalidOperationException(string.Join("; ", problems));
    }
}
