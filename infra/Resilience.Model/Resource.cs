using System.Text.Json.Nodes;

namespace Resilience.Model;

/// <summary>One desired resource of a stack: what a provider must make real.</summary>
/// <remarks>
/// Inputs are plain JSON so that the engine, the state file and the Pulumi bridge share one representation.
/// The graph is static: a resource never reads another's outputs, it only orders itself after them (DependsOn).
/// </remarks>
public sealed record Resource
{
    public required string Stack { get; init; }

    /// <summary>Type family and kind, e.g. "docker:container", "file:file", "jetstream:stream".</summary>
    public required string Type { get; init; }

    /// <summary>Logical name, unique per stack and type.</summary>
    public required string Name { get; init; }

    public required JsonObject Inputs { get; init; }

    /// <summary>URNs of the resources that must exist before this one.</summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];

    public ResourceOptions Options { get; init; } = ResourceOptions.Default;

    public string Urn => Urns.For(Stack, Type, Name);

    /// <summary>The provider family: the part of Type before the colon ("docker", "file", "jetstream").</summary>
    public string Family => Urns.FamilyOf(Type);
}

public sealed record ResourceOptions
{
    public static readonly ResourceOptions Default = new();

    /// <summary>Refuse any plan that deletes or replaces this resource.</summary>
    public bool Protect { get; init; }

    /// <summary>On replace, delete the old one first (e.g. it holds a fixed host port or name).</summary>
    public bool DeleteBeforeReplace { get; init; }

    /// <summary>
    /// When the graph no longer declares it, forget it without deleting it: what it holds stays where it is (a
    /// stream in its server's data volume while the server is stopped). A replace still deletes it. Pulumi's retainOnDelete.
    /// </summary>
    public bool RetainOnDelete { get; init; }

    /// <summary>
    /// The URN of a dependency whose delete this resource's delete follows, instead of preceding it as a dependent's
    /// would: an agent's restart runs after its file is removed or put back, so the agent reads what is left.
    /// </summary>
    public string? DeleteAfter { get; init; }
}

public static class Urns
{
    public static string For(string stack, string type, string name) => $"urn:resilience:{stack}::{type}::{name}";

    public static string FamilyOf(string type)
    {
        var colon = type.IndexOf(':');
        return colon < 0 ? type : type[..colon];
    }

    /// <summary>Splits a URN into (stack, type, name); null when it is not one of ours.</summary>
    public static (string Stack, string Type, string Name)? Parse(string urn)
    {
        const string prefix = "urn:resilience:";
        if (!urn.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var parts = urn[prefix.Length..].Split("::");
        return parts.Length == 3 ? (parts[0], parts[1], parts[2]) : null;
    }
}

/// <summary>One problem with a resource's inputs: the input it is about ("ports[1].host"; empty for the whole resource) and why.</summary>
public sealed record CheckFailure(string Property, string Reason)
{
    public override string ToString() => Property.Length == 0 ? Reason : $"{Property}: {Reason}";
}
