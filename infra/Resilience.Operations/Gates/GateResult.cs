namespace Resilience.Operations.Gates;

/// <summary>A gate's verdict: Go only when every check passed.</summary>
public sealed record GateResult(string Gate, string File, string Stack, DateTimeOffset Started, DateTimeOffset Finished, IReadOnlyList<CheckResult> Checks)
{
    public bool Go => Checks.All(c => c.Phase == Phase.Passed);

    public string Verdict => Go ? "Go" : "No-Go";

    public IEnumerable<CheckResult> NotPassed => Checks.Where(c => c.Phase != Phase.Passed);

    /// <summary>The checks that failed; when none did, the inconclusive ones: what made it No-Go.</summary>
    public IEnumerable<CheckResult> Blocking => Checks.Any(c => c.Phase == Phase.Failed) ? Checks.Where(c => c.Phase == Phase.Failed) : NotPassed;
}
