using System.Text.Json.Nodes;
using Resilience.Model;

namespace Resilience.Engine.Providers;

/// <summary>
/// Makes one family of resources real ("docker", "file", "jetstream"). In the spirit of Pulumi's provider
/// protocol. The engine calls it; a provider never knows the engine's plan, state files or other providers.
/// </summary>
public interface IProvider
{
    /// <summary>The family this provider serves: the part of a resource type before the colon.</summary>
    string Family { get; }

    /// <summary>
    /// Validates and normalises desired inputs before anything runs, and reads what they name on this host (the
    /// content of the files an image is built from, whether a publish is there): the only step of a plan that may
    /// do I/O. Failures name the input and the reason; the engine alone words them for the operator.
    /// </summary>
    CheckResult Check(Resource desired);

    /// <summary>Compares what the state recorded with what Check made of the desired resource. Pure: no I/O.</summary>
    DiffResult Diff(ResourceState recorded, CheckResult desired);

    Task<JsonObject> CreateAsync(Resource desired, CancellationToken ct);

    /// <summary>Reads the real world (never a cache). Null when the resource is gone.</summary>
    Task<ReadResult?> ReadAsync(ResourceState recorded, CancellationToken ct);

    /// <summary>Applies an Update or Reload diff in place; returns the new outputs.</summary>
    Task<JsonObject> UpdateAsync(ResourceState recorded, Resource desired, DiffResult diff, CancellationToken ct);

    Task DeleteAsync(ResourceState recorded, CancellationToken ct);

    /// <summary>Whether deleting a resource of this type loses data it holds (a volume, a stream): plans say so.</summary>
    bool HoldsData(string type) => false;
}

/// <param name="Desired">The desired resource with its inputs normalised: what Diff compares and the apply uses.</param>
/// <param name="Failures">One per problem with the inputs; empty when they are valid.</param>
public sealed record CheckResult(Resource Desired, IReadOnlyList<CheckFailure> Failures)
{
    /// <summary>
    /// What Check read from the host for Diff to compare with the recorded outputs (a content hash, whether a build
    /// output is current). Never stored as inputs: it describes the host now, not what was asked for.
    /// </summary>
    public JsonObject Observed { get; init; } = new();

    public bool Ok => Failures.Count == 0;

    public static CheckResult Valid(Resource desired) => new(desired, []);

    public static CheckResult Failed(Resource desired, params IReadOnlyList<CheckFailure> failures) => new(desired, failures);
}

public enum DiffKind
{
    Same,
    /// <summary>Changed in place; the service keeps running.</summary>
    Update,
    /// <summary>A config the service reads changed: reload it in place (HTTP reload, SIGHUP, restart).</summary>
    Reload,
    /// <summary>Cannot change in place: a new one is made and the old one deleted.</summary>
    Replace,
}

/// <param name="Keys">The input keys that changed (for Replace: those that force it).</param>
/// <param name="DeletesData">For Replace: the old resource holds data that the replace loses (a stream's messages).
/// A plain delete asks <see cref="IProvider.HoldsData"/> instead.</param>
public sealed record DiffResult(DiffKind Kind, IReadOnlyList<string> Keys, bool DeletesData = false)
{
    public static readonly DiffResult Same = new(DiffKind.Same, []);
    public static DiffResult Update(params IReadOnlyList<string> keys) => new(DiffKind.Update, keys);
    public static DiffResult Reload(params IReadOnlyList<string> keys) => new(DiffKind.Reload, keys);
    public static DiffResult Replace(IReadOnlyList<string> keys, bool deletesData = false) => new(DiffKind.Replace, keys, deletesData);
}

/// <summary>What the state records of one resource the engine made.</summary>
public sealed record ResourceState
{
    public required string Urn { get; init; }
    public required string Type { get; init; }
    public required string Name { get; init; }

    /// <summary>The inputs it was last created or updated with (secrets stay wrapped; the state store protects them).</summary>
    public required JsonObject Inputs { get; init; }

    /// <summary>What the provider returned (ids, observed addresses). Never secrets.</summary>
    public JsonObject Outputs { get; init; } = new();

    public IReadOnlyList<string> DependsOn { get; init; } = [];
    public ResourceOptions Options { get; init; } = ResourceOptions.Default;
}

/// <param name="Inputs">The live inputs as the provider observes them, in the same shape as desired inputs,
/// so that drift is a plain comparison with the recorded inputs. Keys the provider cannot observe are copied from the record.</param>
public sealed record ReadResult(JsonObject Inputs, JsonObject Outputs)
{
    /// <summary>What explains the drift to an operator (a failing container's last log lines); shown, never stored.</summary>
    public IReadOnlyList<string> Detail { get; init; } = [];
}
