using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Resilience.Security.Certificates;

/// <summary>Whether a certificate must be replaced, and why: what <c>preview</c> shows and <c>up</c> acts on.</summary>
public sealed record RenewalVerdict(bool Due, string Reason, DateTimeOffset DueAt)
{
    public static RenewalVerdict Now(string reason, DateTimeOffset now) => new(true, reason, now);
}

/// <summary>
/// A certificate is due for renewal when less than <see cref="RemainingFraction"/> of its lifetime is left (a one-year
/// leaf: after ~243 days, leaving ~4 months of ordinary <c>up</c>s to replace it), and at once when it no longer
/// matches what is wanted: another CA signed it (the CA was rotated), its names or addresses differ (a machine moved),
/// or its usages do. Renewing early is cheap; expiring is an outage of every listener at once.
/// </summary>
public sealed class RenewalPolicy(double remainingFraction = 1.0 / 3)
{
    public double RemainingFraction { get; } = remainingFraction is > 0 and < 1
        ? remainingFraction
        : throw new ArgumentOutOfRangeException(nameof(remainingFraction), "a fraction of the lifetime, between 0 and 1");

    /// <summary>The moment renewal becomes due by age alone.</summary>
    public DateTimeOffset DueAt(X509Certificate2 certificate)
    {
        var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        return notAfter - (notAfter - notBefore) * RemainingFraction;
    }

    /// <summary>The CA itself: by age only (a new CA is a rotation of its own, see docs/security.md).</summary>
    public RenewalVerdict Check(X509Certificate2 ca, DateTimeOffset now) => ByAge(ca, now);

    public RenewalVerdict Check(X509Certificate2 leaf, LeafSpec wanted, X509Certificate2 ca, DateTimeOffset now)
    {
        if (!SignedBy(leaf, ca)) return RenewalVerdict.Now($"signed by '{leaf.Issuer}', not by the current CA '{ca.Subject}'", now);
        var names = SubjectNames.Of(leaf);
        var wantedAddresses = wanted.Addresses.Select(a => a.ToString()).ToHashSet();
        if (!names.Addresses.SetEquals(wantedAddresses) || !names.DnsNames.SetEquals(wanted.DnsNames.Select(n => n.ToLowerInvariant())))
        {
            return RenewalVerdict.Now($"names {names} differ from the wanted {string.Join(", ", wantedAddresses.Concat(wanted.DnsNames).Order(StringComparer.Ordinal))}", now);
        }
        if (UsageOf(leaf) != wanted.Usage) return RenewalVerdict.Now($"usage {UsageOf(leaf)} differs from the wanted {wanted.Usage}", now);
        return ByAge(leaf, now);
    }

    private RenewalVerdict ByAge(X509Certificate2 certificate, DateTimeOffset now)
    {
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        var dueAt = DueAt(certificate);
        if (now >= notAfter) return new RenewalVerdict(true, $"expired {notAfter:u}", dueAt);
        if (now >= dueAt) return new RenewalVerdict(true, $"expires {notAfter:u}: less than {RemainingFraction * 100:0}% of its lifetime left", dueAt);
        return new RenewalVerdict(false, $"valid until {notAfter:u}, renewal due {dueAt:u}", dueAt);
    }

    private static bool SignedBy(X509Certificate2 leaf, X509Certificate2 ca)
    {
        using var chain = CaTrust.ChainFor(ca);
        chain.ChainPolicy.VerificationTime = leaf.NotBefore.AddMinutes(1);
        return chain.Build(leaf) && chain.ChainElements[^1].Certificate.Thumbprint == ca.Thumbprint;
    }

    private static CertificateUsage UsageOf(X509Certificate2 certificate)
    {
        var usage = (CertificateUsage)0;
        foreach (var oid in certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().SelectMany(e => e.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>()))
        {
            if (oid.Value == "1.3.6.1.5.5.7.3.1") usage |= CertificateUsage.Server;
            if (oid.Value == "1.3.6.1.5.5.7.3.2") usage |= CertificateUsage.Client;
        }
        return usage;
    }
}

/// <summary>The subject alternative names of a certificate, addresses and DNS names apart (DNS lower-cased).</summary>
public sealed record SubjectNames(HashSet<string> Addresses, HashSet<string> DnsNames)
{
    public static SubjectNames Of(X509Certificate2 certificate)
    {
        var addresses = new HashSet<string>();
        var names = new HashSet<string>();
        foreach (var extension in certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>())
        {
            foreach (var address in extension.EnumerateIPAddresses()) addresses.Add(address.ToString());
            foreach (var name in extension.EnumerateDnsNames()) names.Add(name.ToLowerInvariant());
        }
        return new SubjectNames(addresses, names);
    }

    public bool Covers(IPAddress address) => Addresses.Contains(address.ToString());

    public override string ToString() => string.Join(", ", Addresses.Concat(DnsNames).Order(StringComparer.Ordinal));
}
