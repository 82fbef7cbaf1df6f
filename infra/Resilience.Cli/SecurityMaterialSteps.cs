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
        if (LocalPassphrase.EnsureFor(project.Directory, stacks.Select(s => s.StackFile), options?.GetVariable) is { } made)
        {
            notes.WriteLine($"note: no PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE is set: the stack files' secrets are encrypted " +
                $"with a new passphrase in {project.Show(made)} (0600), used whenever neither is set; keep it (without it the secrets cannot be read), " +
                $"and give it to pulumi as PULUMI_CONFIG_PASSPHRASE_FILE={project.Show(made)}");
        }
        return PairMaterial.Ensure(project.Directory, DateTimeOffset.UtcNow, options);
    }

    /// <summary>Before `up` builds the graph: with securityMaterial auto, a stack without its material gets it (the
    /// whole pair's, so the other stack's `up` finds the same CA); a stack with material gets its certificate renewed
    /// when it is due (whatever securityMaterial says: letting it expire would cut every listener at once).</summary>
    public static void BeforeUp(ProjectContext project, string stack, TextWriter notes, MaterialOptions? options = null)
    {
        var config = project.LoadConfig(stack);
        var machine = new TypedConfig(config).OneOf("machine", Machines.Stacks);
        var complete = SecurityKeys.ForStack(machine).All(k => config.Find(k) is not null);
        if (!complete && Auto(config))
        {
            project.Graph(config); // a config the stack rejects stops `up` here, before material is written into the stack files
            var result = Ensure(project, notes, options);
            notes.WriteLine($"note: made the TLS and credential material of {string.Join(", ", result.Stacks.Where(s => s.Written.Count > 0).Select(s => project.Show(s.StackFile)))} " +
                $"(securityMaterial: auto) in {result.Elapsed.TotalSeconds:0.0}s");
            return;
        }
        if (!complete) return;
        if (CertificateRenewal.RenewDue(new PairStack(stack, machine, config), DateTimeOffset.UtcNow, options) is { } renewed)
            notes.WriteLine($"note: renewed {renewed.Key} in {project.Show(config.StackFile)} (it was due: {renewed.Verdict.Reason}); the CA is unchanged");
    }

    /// <summary>
    /// What preview plans from when `up` would make the pair's material first (auto, none yet): a copy of the project's
    /// stack files in a temporary folder, given material for the plan alone, so the plan shows the TLS files, web
    /// configs and https clients that `up` deploys. Its certificates and passwords are not the ones `up` will make
    /// (they are in secret files, masked in every view). Null when the stack's own config is what `up` deploys, or when
    /// the copy cannot get material (stack files whose secrets need a passphrase that is not set).
    /// </summary>
    public static PreviewMaterial? ForPreview(ProjectContext project, StackConfig config)
    {
        var machine = new TypedConfig(config).OneOf("machine", Machines.Stacks);
        if (SecurityKeys.ForStack(machine).All(k => config.Find(k) is not null) || !Auto(config)) return null;
        project.Graph(config); // a config the stack rejects is reported at its own file and line, not the copy's
        var copy = Directory.CreateTempSubdirectory("resilience-preview-").FullName;
        try
        {
            foreach (var file in Directory.GetFiles(project.Directory, "Pulumi*.yaml")) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
            // A fresh checkout has no passphrase yet: the copy's secrets are encrypted under one made for the plan.
            var throwaway = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
            Func<string, string?> variables = LocalPassphrase.Configured()
                ? Environment.GetEnvironmentVariable
                : name => name == Secrets.PassphraseEnvironment.Variable ? throwaway : null;
            PairMaterial.Ensure(copy, DateTimeOffset.UtcNow, MaterialOptions.Default with { GetVariable = variables });
            var copied = StackConfig.Load(copy, config.Stack);
            return new PreviewMaterial(copied, ConfigSecrets.Decrypter(copied, variables), copy);
        }
        catch (Exception e) when (e is ConfigException or Secrets.SecretsException or IOException)
        {
            Directory.Delete(copy, recursive: true);
            return null;
        }
    }

    /// <summary>What preview says about the material: that up makes it first, or each certificate's renewal date.</summary>
    /// <param name="plannedWithMaterial">The plan was built with material made for it (<see cref="ForPreview"/>).</param>
    public static IEnumerable<string> PreviewNotes(StackConfig config, DateTimeOffset now, bool plannedWithMaterial = false)
    {
        var machine = new TypedConfig(config).OneOf("machine", Machines.Stacks);
        if (!SecurityKeys.ForStack(machine).All(k => config.Find(k) is not null))
        {
            if (Auto(config))
                yield return plannedWithMaterial
                    ? "the stack has no TLS and credential material yet: up makes it first (securityMaterial: auto) and writes it into the pair's stack files; this plan shows the secured listeners with material made for the plan alone"
                    : "the stack has no TLS and credential material yet: up makes it first (securityMaterial: auto), so its listeners will need TLS and credentials; this plan shows them open";
            yield break;
        }
        foreach (var verdict in CertificateRenewal.Verdicts(new PairStack(config.Stack, machine, config), now))
        {
            if (!verdict.Verdict.Due) yield return verdict.ToString();
            else if (verdict.Key == SecurityKeys.CaCertificate) yield return $"{verdict}: a new CA is a rotation (`rotate --what certificates`), up does not make one";
            else yield return $"{verdict}: up renews it first (a new key and certificate from the same CA)";
        }
    }

    private static bool Auto(StackConfig config) =>
        new TypedConfig(config).OneOf(SecurityKeys.Policy, SecurityKeys.PolicyAuto, SecurityKeys.PolicyManual) == SecurityKeys.PolicyAuto;
}

/// <summary>A stack's config with material made for one preview, in a temporary copy of the stack files deleted on dispose.</summary>
public sealed class PreviewMaterial(StackConfig config, Func<ConfigValue, string> decrypt, string folder) : IDisposable
{
    public StackConfig Config { get; } = config;

    public Func<ConfigValue, string> Decrypt { get; } = decrypt;

    public void Dispose()
    {
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }
}
