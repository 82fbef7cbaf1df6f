namespace Resilience.Operations.Gates;

/// <summary>A gate's verdict: Go only when every check passed.</summary>
public sealed record GateResult(string Gate, string File, string Stack, DateTimeOffset Started, DateTimeOffset Finished, IReadOnlyList<CheckResult> Checks)
{
    public bool Go => Checks.All(c => c.Phase == Phase.Passed);

    public string Verdict => Go ? "Go" : "No-Go";

    public IEnumerable<CheckResult> NotPassed => Checks.Where(c => c.Phase != Phase.Passed);
}
