namespace Resilience.Operations.Gates;

/// <summary>A gate file: the checks that must all pass for Go.</summary>
public sealed record GateDefinition(string Name, string? Description, string File, IReadOnlyList<CheckDefinition> Checks)
{
    /// <summary>The longest observation of its checks (with their initial delays): how long an observed evaluation takes.</summary>
    public TimeSpan Observation => Checks.Count == 0 ? TimeSpan.Zero : Checks.Max(c => c.InitialDelay + c.Observation);
}
