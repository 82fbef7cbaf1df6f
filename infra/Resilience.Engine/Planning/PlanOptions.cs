namespace Resilience.Engine.Planning;

public record PlanOptions
{
    /// <summary>When set, only these URNs are planned; everything else stays as recorded.</summary>
    public IReadOnlySet<string>? Targets { get; init; }
}
