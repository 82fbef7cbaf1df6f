using Resilience.Security.Certificates;
using Resilience.Stack.Config;

namespace Resilience.Operations.Security;

/// <summary>One certificate's verdict: the config key that holds it, and whether, why and when it is due.</summary>
public sealed record CertificateVerdict(string Key, RenewalVerdict Verdict)
{
    public override string ToString() => Verdict.Due
        ? $"{Key} is due for renewal ({Verdict.Reason})"
        : $"{Key}: {Verdict.Reason}";
}

/// <summary>
/// Keeps a stack's machine certificate fresh (<see cref="RenewalPolicy"/>): due when a third of its lifetime is
/// left, or at once when it no longer says what is wanted (another CA, another address). `preview` shows the
/// verdicts; `up` renews a due certificate before it builds the graph: a new key and certificate from the pair's
/// CA (the CA stays), written into the stack's own file. The CA itself is only reported: a new CA is a rotation.
/// </summary>
public static class CertificateRenewal
{
    private static readonly RenewalPolicy Policy = new();

    /// <summary>The verdicts of the stack's CA and machine certificate; empty while the stack has no material. Reads
    /// only public values (no passphrase needed).</summary>
    public static IReadOnlyList<CertificateVerdict> Verdicts(PairStack stack, DateTimeOffset now)
    {
        var reader = new MaterialReader(stack, getVariable: null);
        if (reader.Plain(SecurityKeys.CaCertificate) is not { } caPem || reader.Plain(SecurityKeys.Certificate(stack.Machine)) is not { } leafPem) return [];
        var typed = new TypedConfig(stack.Config);
        using var ca = SecurityMaterial.Certificate(typed, SecurityKeys.CaCertificate, caPem);
        using var leaf = SecurityMaterial.Certificate(typed, SecurityKeys.Certificate(stack.Machine), leafPem);
        var wanted = PairMaterial.Wanted(stack, LeafSpec.DefaultValidity);
        return
        [
            new(SecurityKeys.CaCertificate, Policy.Check(ca, now)),
            new(SecurityKeys.Certificate(stack.Machine), Policy.Check(leaf, wanted, ca, now)),
        ];
    }

    /// <summary>Renews the stack's machine certificate when it is due; the verdict it acted on, or null when it was not due.</summary>
    public static CertificateVerdict? RenewDue(PairStack stack, DateTimeOffset now, MaterialOptions? options = null)
    {
        options ??= MaterialOptions.Default;
        var due = Verdicts(stack, now).FirstOrDefault(v => v.Key != SecurityKeys.CaCertificate && v.Verdict.Due);
        if (due is null) return null;
        var reader = new MaterialReader(stack, options.GetVariable);
        var caKey = reader.Secret(SecurityKeys.CaKey) ?? throw new ConfigException(stack.StackFile, $"{stack.Config.Project}:{SecurityKeys.CaKey}",
            $"missing: {due.Key} is due for renewal and needs the pair's CA key in this stack file (run `security init --stack {stack.Stack}`)");
        using var ca = CertificateAuthority.FromPem(new PemPair(reader.Plain(SecurityKeys.CaCertificate)!, caKey));
        var issued = Pem.Of(PairMaterial.Issue(ca, stack, now, options.LeafValidity));
        PairMaterial.Write(stack, reader, new Dictionary<string, (string, bool)>
        {
            [SecurityKeys.Certificate(stack.Machine)] = (issued.Certificate, false),
            [SecurityKeys.Key(stack.Machine)] = (issued.PrivateKey, true),
        }, options.GetVariable);
        return due;
    }

    /// <summary>Rotation of the machine certificates: every stack of the pair gets a new key and certificate from the
    /// same CA, due or not (peers trust the CA, not the leaf, so nothing else changes).</summary>
    public static IReadOnlyList<StackMaterialChange> ReissueAll(string projectDir, DateTimeOffset now, MaterialOptions? options = null)
    {
        options ??= MaterialOptions.Default;
        var changes = new List<StackMaterialChange>();
        foreach (var stack in PairStack.Find(projectDir))
        {
            var reader = new MaterialReader(stack, options.GetVariable);
            var caPem = reader.Plain(SecurityKeys.CaCertificate);
            var caKey = reader.Secret(SecurityKeys.CaKey);
            if (caPem is null || caKey is null)
                throw new ConfigException(stack.StackFile, $"{stack.Config.Project}:{(caPem is null ? SecurityKeys.CaCertificate : SecurityKeys.CaKey)}",
                    $"missing: there is no certificate to rotate until every stack file of the pair has its material (`security init --stack {stack.Stack}`)");
            using var ca = CertificateAuthority.FromPem(new PemPair(caPem, caKey));
            var issued = Pem.Of(PairMaterial.Issue(ca, stack, now, options.LeafValidity));
            changes.Add(PairMaterial.Write(stack, reader, new Dictionary<string, (string, bool)>
            {
                [SecurityKeys.Certificate(stack.Machine)] = (issued.Certificate, false),
                [SecurityKeys.Key(stack.Machine)] = (issued.PrivateKey, true),
            }, options.GetVariable));
        }
        return changes;
    }
}
