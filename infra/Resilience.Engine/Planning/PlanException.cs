namespace Resilience.Engine.Planning;

/// <summary>The plan cannot run (a check failed, a protected resource would go, a target is unknown). Nothing was applied.</summary>
public sealed class PlanException(string stack, IReadOnlyList<string> problems)
    : Exception($"plan for stack '{stack}' failed; nothing was applied:{Environment.NewLine}  - {string.Join(Environment.NewLine + "  - ", problems)}")
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
