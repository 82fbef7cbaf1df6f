using System.Text.Json.Nodes;
using Resilience.Contracts;
using Resilience.Contracts.Dotnet;
using Resilience.Model;

namespace Resilience.Providers.Dotnet;

/// <summary>A "dotnet:publish" (<see cref="PublishInputs"/>) as the publisher runs it.</summary>
public sealed record PublishSpec(string Project, string Output, string Binary, string Runtime, string Configuration, string SourceHash)
{
    private static readonly ResourceContract Contract = ResourceContract.Of<PublishInputs>();
    public static readonly string BinaryKey = Contract.Key(nameof(PublishInputs.Binary));
    public static readonly string SourceHashKey = Contract.Key(nameof(PublishInputs.SourceHash));

    /// <summary>Keys whose change means a different artefact in a different place: the contract's marks.</summary>
    public static IReadOnlyList<string> ReplaceKeys => Contract.ReplaceKeys;

    public string BinaryPath => Path.Combine(Output, Binary);

    /// <summary>Written after a successful publish: which sources the binary beside it was built from.</summary>
    public string StampPath => Path.Combine(Output, ".source-hash");

    public static (PublishSpec? Spec, IReadOnlyList<CheckFailure> Problems) Parse(JsonObject inputs)
    {
        var read = ContractJson.Read<PublishInputs>(inputs);
        if (!read.Ok) return (null, read.Failures);
        var p = read.Value;
        return (new PublishSpec(p.Project, p.Output, p.Binary, p.Runtime, p.Configuration, p.SourceHash), []);
    }
}
