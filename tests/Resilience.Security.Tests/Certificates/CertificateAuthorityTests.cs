using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Resilience.Security.Tests.Certificates;

public sealed class CertificateAuthorityTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly LeafSpec Hub = LeafSpec.For("centralhub", CertificateUsage.ServerAndClient, "192.168.1.10", "mainpc", "mainpc.lan");

    [Fact]
    public void The_CA_is_a_P256_root_that_may_sign_leaves_but_no_intermediate()
    {
        using var ca = CertificateAuthority.Create("resilience mainpc+pc2", Now);
        var constraints = ca.Certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.True(constraints.CertificateAuthority);
        Assert.True(constraints.HasPathLengthConstraint);
        Assert.Equal(0, constraints.PathLengthConstraint);
        Assert.True(ca.Certificate.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign));
        using var key = ca.Certificate.GetECDsaPublicKey()!;
        Assert.Equal(256, key.KeySize);
        Assert.Contains("resilience mainpc+pc2", ca.Certificate.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void A_leaf_carries_every_address_and_name_as_a_SAN_both_usages_and_chains_to_its_CA_only()
    {
        using var ca = CertificateAuthority.Create("pair", Now);
        using var leaf = ca.Issue(Hub, Now);
        var names = SubjectNames.Of(leaf);
        Assert.Equal(["192.168.1.10"], names.Addresses);
        Assert.Equal(["mainpc", "mainpc.lan"], names.DnsNames.Order());
        var usages = leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value).ToList();
        Assert.Equal(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"], usages);
        Assert.False(leaf.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.True(leaf.HasPrivateKey);

        using var chain = CaTrust.ChainFor(ca.Certificate);
        chain.ChainPolicy.VerificationTime = Now.UtcDateTime;
        Assert.True(chain.Build(leaf), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));

        // Negative control: the same chain policy refuses a leaf of another CA, so the check above can fail.
        using var other = CertificateAuthority.Create("pair", Now);
        using var stranger = other.Issue(Hub, Now);
        using var strangerChain = CaTrust.ChainFor(ca.Certificate);
        strangerChain.ChainPolicy.VerificationTime = Now.UtcDateTime;
        Assert.False(strangerChain.Build(stranger));
    }

    [Fact]
    public void A_server_only_leaf_has_only_serverAuth_and_a_leaf_never_outlives_its_CA()
    {
        using var ca = CertificateAuthority.Create("pair", Now, TimeSpan.FromDays(100));
        using var leaf = ca.Issue(LeafSpec.For("pushgateway", CertificateUsage.Server, "10.0.0.2"), Now);
        var usages = leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value);
        Assert.Equal(["1.3.6.1.5.5.7.3.1"], usages);
        Assert.Equal(ca.Certificate.NotAfter, leaf.NotAfter);
        Assert.Equal(Now.UtcDateTime - CertificateAuthority.ClockSkew, leaf.NotBefore.ToUniversalTime());
    }

    [Fact]
    public void Two_leaves_never_share_a_serial_or_a_key()
    {
        using var ca = CertificateAuthority.Create("pair", Now);
        using var a = ca.Issue(Hub, Now);
        using var b = ca.Issue(Hub, Now);
        Assert.NotEqual(a.SerialNumber, b.SerialNumber);
        Assert.NotEqual(a.GetPublicKeyString(), b.GetPublicKeyString());
    }

    [Fact]
    public void A_leaf_without_any_name_to_be_verified_by_is_refused()
    {
        using var ca = CertificateAuthority.Create("pair", Now);
        var e = Assert.Throws<CertificateException>(() => ca.Issue(new LeafSpec("nameless", [], [], CertificateUsage.Server), Now));
        Assert.Contains("nameless", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_CA_comes_back_from_its_PEM_and_still_signs_leaves_that_chain_to_the_original()
    {
        using var ca = CertificateAuthority.Create("pair", Now);
        var pem = ca.ToPem();
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", pem.Certificate, StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", pem.PrivateKey, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE", pem.ToString(), StringComparison.Ordinal);

        using var loaded = CertificateAuthority.FromPem(pem);
        Assert.Equal(ca.Certificate.Thumbprint, loaded.Certificate.Thumbprint);
        using var leaf = loaded.Issue(Hub, Now);
        using var chain = CaTrust.ChainFor(ca.Certificate);
        chain.ChainPolicy.VerificationTime = Now.UtcDateTime;
        Assert.True(chain.Build(leaf));
    }

    [Fact]
    public void A_leaf_or_a_key_of_another_certificate_is_not_taken_for_the_CA()
    {
        using var ca = CertificateAuthority.Create("pair", Now);
        using var leaf = ca.Issue(Hub, Now);
        var leafPem = Pem.Of(leaf);
        var e = Assert.Throws<CertificateException>(() => CertificateAuthority.FromPem(leafPem));
        Assert.Contains("not a CA certificate", e.Message, StringComparison.Ordinal);

        var mismatched = ca.ToPem() with { PrivateKey = leafPem.PrivateKey };
        Assert.Throws<CertificateException>(() => CertificateAuthority.FromPem(mismatched));
    }

    [Fact]
    public void CaTrust_accepts_only_a_certificate_of_its_roots()
    {
        using var ca = CertificateAuthority.Create("pair", DateTimeOffset.UtcNow);
        using var other = CertificateAuthority.Create("pair", DateTimeOffset.UtcNow);
        using var ours = ca.Issue(Hub, DateTimeOffset.UtcNow);
        using var theirs = other.Issue(Hub, DateTimeOffset.UtcNow);
        var trust = new CaTrust(ca.Certificate);
        Assert.True(trust.Validate(ours, System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(trust.Validate(theirs, System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(trust.Validate(ours, System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch));
        // Both CAs trusted at once: the rotation window.
        Assert.True(new CaTrust([ca.Certificate, other.Certificate]).Validate(theirs, System.Net.Security.SslPolicyErrors.None));
    }

    [Fact]
    public void LeafSpec_For_sorts_addresses_from_names()
    {
        var spec = LeafSpec.For("x", CertificateUsage.Server, "127.0.0.2", "::1", "mainpc");
        Assert.Equal([IPAddress.Parse("127.0.0.2"), IPAddress.IPv6Loopback], spec.Addresses);
        Assert.Equal(["mainpc"], spec.DnsNames);
    }
}
