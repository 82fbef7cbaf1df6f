using Resilience.Engine.History;

namespace Resilience.Operations.Outputs;

/// <summary>
/// Reads a stack's outputs from its history, as Pulumi reads them from its checkpoint: the values of the version
/// last applied, never the program re-run on today's config (a port changed in the stack file without `up` is
/// not listened on yet).
/// </summary>
public static class StackOutputReader
{
    /// <exception cref="InvalidOperationException">A secret to reveal was stored without a secret protector.</exception>
    public static AppliedOutputs Read(string stack, StackHistory history, bool revealSecrets)
    {
        var versions = history.List();
        var applied = history.LastApplied();
        if (applied is null)
        {
            var destroyed = versions.LastOrDefault(v => v.Result == VersionResult.Succeeded);
            return new AppliedOutputs.NothingApplied(stack, destroyed);
        }
        var latest = versions[^1];
        return new AppliedOutputs.Applied(stack, applied.WithoutGraph(), history.Outputs(applied, revealSecrets))
        {
            NewerUnfinished = latest.Version > applied.Version ? latest : null,
        };
    }
}
