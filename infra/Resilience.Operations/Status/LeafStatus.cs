namespace Resilience.Operations.Status;

/// <summary>The leaf link as one server sees it: the remotes it is connected to right now.</summary>
/// <param name="Up">Null when the server did not answer, so the link's state is unknown.</param>
public sealed record LeafStatus(bool? Up, IReadOnlyList<string> Peers, string? Error)
{
    /// <summary>Cluster topologies have no leaf link.</summary>
    public static readonly LeafStatus NotApplicable = new(null, [], null);

    public static LeafStatus Unreachable(string error) => new(null, [], error);
}
