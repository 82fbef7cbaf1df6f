using System.Security.Cryptography.X509Certificates;
using Resilience.Cli;
using Resilience.Operations.Security;
using Resilience.Secrets;
using Resilience.Stack.Config;

namespace Resilience.Tests.Security;

/// <summary>Renewal: preview says when a certificate is due and why; `up` renews a due one (new key and certificate,
/// same CA) in its own stack file before it builds the graph, and leaves a certificate that is not due alone.</summary>
public sealed class CertificateRenewalTests : IDisposable
{
    private const string Passphrase = "renewal-test-passphrase";
    private static readonly Func<string, string?> Env = name => name == PassphraseEnvironment.Variable ? Passphrase : null;
    private static readonly MaterialOptions Options = MaterialOptions.Default with { GetVariable = Env };
    private readonly TempProject _project = new();

    private PairStack Stack(string name) => PairStack.Find(_project.Dir).Single(s => s.Stack == name);

    private SecuritySettings Read(string stack)
    {
        var config = StackConfig.Load(_project.Dir, stack);
        return StackSettings.Read(new TypedConfig(config, ConfigSecrets.Decrypter(config, Env))).Security!;
    }

    private byte[] Bytes(string stack) => File.ReadAllBytes(_project.PathOf($"Pulumi.{stack}.yaml"));

    [Fact]
    public void A_fresh_certificate_is_not_due_and_the_verdict_gives_its_due_date()
    {
        var now = DateTimeOffset.UtcNow;
        PairMaterial.Ensure(_project.Dir, now, Options);

        var verdicts = CertificateRenewal.Verdicts(Stack("pc2"), now);

        Assert.Equal(["tlsCaCertificate", "tlsPc2Certificate"], verdicts.Select(v => v.Key));
        var leaf = verdicts[1].Verdict;
        Assert.False(leaf.Due);
        // A year's certificate is due with a third of it left: about 243 days after it was made.
        Assert.InRange((leaf.DueAt - now).TotalDays, 242, 244);
        Assert.Contains("renewal due", leaf.Reason);
        Assert.Null(CertificateRenewal.RenewDue(Stack("pc2"), now, Options));
    }

    [Fact]
    public void A_certificate_near_its_end_is_due_and_renewal_replaces_it_keeping_the_CA_and_the_other_stack()
    {
        var now = DateTimeOffset.UtcNow;
        PairMaterial.Ensure(_project.Dir, now, Options with { LeafValidity = TimeSpan.FromDays(30) });
        var before = Read("pc2");
        var mainpcBefore = Bytes("mainpc");
        var later = now.AddDays(25);

        var verdict = CertificateRenewal.Verdicts(Stack("pc2"), later).Single(v => v.Key == "tlsPc2Certificate");
        Assert.True(verdict.Verdict.Due);
        Assert.Contains("less than 33% of its lifetime left", verdict.Verdict.Reason);

        var renewed = CertificateRenewal.RenewDue(Stack("pc2"), later, Options);

        Assert.NotNull(renewed);
        var after = Read("pc2");
        Assert.Equal(before.CaCertificatesPem, after.CaCertificatesPem);
        Assert.Equal(before.Users, after.Users);
        Assert.NotEqual(before.Certificates["pc2"].CertificatePem, after.Certificates["pc2"].CertificatePem);
        Assert.NotEqual(before.Certificates["pc2"].KeyPem, after.Certificates["pc2"].KeyPem);
        Assert.Equal(mainpcBefore, Bytes("mainpc"));
        Assert.False(CertificateRenewal.Verdicts(Stack("pc2"), later).Single(v => v.Key == "tlsPc2Certificate").Verdict.Due);
        using var leaf = X509Certificate2.CreateFromPem(after.Certificates["pc2"].CertificatePem);
        Assert.True(leaf.NotAfter > later.AddDays(360).UtcDateTime, "the renewed certificate has the ordinary year");
    }

    [Fact]
    public void A_certificate_for_an_old_address_is_due_at_once()
    {
        var now = DateTimeOffset.UtcNow;
        PairMaterial.Ensure(_project.Dir, now, Options);
        _project.Append("Pulumi.pc2.yaml", "  resilience:pc2Address: 10.0.0.9\n");

        var verdict = CertificateRenewal.Verdicts(Stack("pc2"), now).Single(v => v.Key == "tlsPc2Certificate");

        Assert.True(verdict.Verdict.Due);
        Assert.Contains("differ from the wanted 10.0.0.9", verdict.Verdict.Reason);
    }

    [Fact]
    public void Up_renews_a_due_certificate_before_it_builds_the_graph_and_says_so()
    {
        // Made 300 days ago for a year: 65 days left, under a third, so due today.
        PairMaterial.Ensure(_project.Dir, DateTimeOffset.UtcNow.AddDays(-300), Options);
        var before = Read("mainpc").Certificates["mainpc"].CertificatePem;
        var notes = new StringWriter();

        SecurityMaterialSteps.BeforeUp(new ProjectContext(_project.Dir), "mainpc", notes, Options);

        Assert.Contains("renewed tlsMainpcCertificate in Pulumi.mainpc.yaml", notes.ToString());
        Assert.NotEqual(before, Read("mainpc").Certificates["mainpc"].CertificatePem);
        var again = new StringWriter();
        SecurityMaterialSteps.BeforeUp(new ProjectContext(_project.Dir), "mainpc", again, Options);
        Assert.Equal("", again.ToString());
    }

    [Fact]
    public void Preview_notes_give_each_certificate_its_due_date_or_say_that_up_renews_it()
    {
        PairMaterial.Ensure(_project.Dir, DateTimeOffset.UtcNow.AddDays(-300), Options);

        var notes = SecurityMaterialSteps.PreviewNotes(StackConfig.Load(_project.Dir, "pc2"), DateTimeOffset.UtcNow).ToList();

        Assert.Equal(2, notes.Count);
        Assert.StartsWith("tlsCaCertificate: valid until", notes[0]);
        Assert.Contains("renewal due", notes[0]);
        Assert.StartsWith("tlsPc2Certificate is due for renewal (expires", notes[1]);
        Assert.EndsWith("up renews it first (a new key and certificate from the same CA)", notes[1]);
    }

    [Fact]
    public void With_securityMaterial_auto_the_default_up_makes_the_pair_material_and_preview_says_it_will()
    {
        Assert.Contains("up makes it first", Assert.Single(SecurityMaterialSteps.PreviewNotes(StackConfig.Load(_project.Dir, "pc2"), DateTimeOffset.UtcNow)));
        var notes = new StringWriter();

        SecurityMaterialSteps.BeforeUp(new ProjectContext(_project.Dir), "pc2", notes, Options);

        Assert.Contains("made the TLS and credential material of Pulumi.mainpc.yaml, Pulumi.pc2.yaml, Pulumi.witness.yaml", notes.ToString());
        Assert.Equal(Read("mainpc").CaCertificatesPem, Read("pc2").CaCertificatesPem);
        Assert.False(File.Exists(_project.PathOf(".resilience/passphrase")), "a configured passphrase is used, none is made");
    }

    [Fact]
    public void With_securityMaterial_auto_a_config_the_stack_rejects_stops_up_before_any_material_is_written()
    {
        _project.Replace("Pulumi.pc2.yaml", "resilience:rolloutWeek: 1", "resilience:rolloutWeek: 9");
        var before = new[] { "mainpc", "pc2", "witness" }.Select(Bytes).ToList();

        var e = Assert.Throws<ConfigException>(() => SecurityMaterialSteps.BeforeUp(new ProjectContext(_project.Dir), "pc2", new StringWriter(), Options));

        Assert.Contains("rolloutWeek", e.Message);
        Assert.Equal(before, new[] { "mainpc", "pc2", "witness" }.Select(Bytes).ToList());
    }

    [Fact]
    public void With_securityMaterial_manual_up_makes_nothing()
    {
        _project.Replace("Pulumi.yaml", "    default: auto", "    default: manual");
        var before = Bytes("pc2");

        SecurityMaterialSteps.BeforeUp(new ProjectContext(_project.Dir), "pc2", new StringWriter(), Options);

        Assert.Equal(before, Bytes("pc2"));
        Assert.Empty(SecurityMaterialSteps.PreviewNotes(StackConfig.Load(_project.Dir, "pc2"), DateTimeOffset.UtcNow));
    }

    [Fact]
    public void A_broken_certificate_in_the_stack_file_is_a_config_error_naming_its_key_not_a_crash()
    {
        PairMaterial.Ensure(_project.Dir, DateTimeOffset.UtcNow, Options);
        var editor = StackFileEditor.Load(_project.PathOf("Pulumi.pc2.yaml"));
        editor.Set("resilience:tlsPc2Certificate", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        editor.Save();

        var e = Assert.Throws<ConfigException>(() => CertificateRenewal.Verdicts(Stack("pc2"), DateTimeOffset.UtcNow));

        Assert.EndsWith("resilience:tlsPc2Certificate", e.Where);
    }

    public void Dispose() => _project.Dispose();
}
