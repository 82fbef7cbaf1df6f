using Resilience.Operations.Security;
using Resilience.Stack.Config;

namespace Resilience.Cli;

/// <summary>The material steps the CLI runs: `security init`, and `up` before it builds the graph when the stack's
/// securityMaterial is auto.</summary>
public static class SecurityMaterialSteps
{
    /// <summary>Makes what the pair lacks; when no passphrase is configured on a fresh checkout, makes the local one first.</summary>
    public static MaterialResult Ensure(ProjectContext project, TextWriter notes, MaterialOptions? options = null)
    {
        var stacks = PairStack.Find(project.Directory);
        if (LocalPassphrase.EnsureFor(project.Directory, stacks.Select(s => s.StackFile)) is { } made)
        {
            notes.WriteLine($"note: no PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE is set: the stack files' secrets are encrypted " +
                $"with a new passphrase in {project.Show(made)} (0600), used whenever neither is set; keep it (without it the secrets cannot be read), " +
                $"and give it to pulumi as PULUMI_CONFIG_PASSPHRASE_FILE={project.Show(made)}");
        }
        return PairMaterial.Ensure(project.Directory, DateTimeOffset.UtcNow, options);
    }

    /// <summary>Before `up` builds the graph: with securityMaterial auto, a stack without its material gets it (the
    /// whole pair's, so the other stack's `up` finds the same CA).</summary>
    public static void BeforeUp(ProjectContext project, string stack, TextWriter notes)
    {
        var config = project.LoadConfig(stack);
        if (!Auto(config)) return;
        var machine = new TypedConfig(config).OneOf("machine", Machines.Stacks);
        if (SecurityKeys.ForStack(machine).All(k => config.Find(k) is not null)) return;
        var result = Ensure(project, notes);
        notes.WriteLine($"note: made the TLS and credential material of {string.Join(", ", result.Stacks.Where(s => s.Written.Count > 0).Select(s => project.Show(s.StackFile)))} " +
            $"(securityMaterial: auto) in {result.Elapsed.TotalSeconds:0.0}s");
    }

    /// <summary>What preview says when `up` would make the material first.</summary>
    public static string? PreviewNote(StackConfig config)
    {
        if (!Auto(config)) return null;
        var machine = new TypedConfig(config).OneOf("machine", Machines.Stacks);
        return SecurityKeys.ForStack(machine).All(k => config.Find(k) is not null)
            ? null
            : $"the stack has no TLS and credential material yet: up makes it first (securityMaterial: auto), so its listeners will need TLS and credentials; this plan shows them open";
    }

    private static bool Auto(StackConfig config) =>
        new TypedConfig(config).OneOf(SecurityKeys.Policy, SecurityKeys.PolicyAuto, SecurityKeys.PolicyManual) == SecurityKeys.PolicyAuto;
}
