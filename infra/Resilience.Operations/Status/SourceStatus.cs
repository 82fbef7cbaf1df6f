namespace Resilience.Operations.Status;

/// <summary>A sourced stream's view of its origin: <see cref="Active"/> is the time since the last contact.</summary>
public sealed record SourceStatus(string Name, string? Domain, TimeSpan? Active, long Lag)
{
    /// <summary>Heartbeats keep a healthy source's Active around a second; a silent cut only shows here as growth.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(10);

    public bool Stale => Active is null || Active > StaleAfter;
}
