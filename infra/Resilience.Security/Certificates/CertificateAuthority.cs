using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Resilience.Security.Certificates;

/// <summary>
/// The private CA of a pair of stacks: a self-signed ECDSA P-256 root that signs every listener's and caller's
/// certificate. P-256 rather than RSA: every peer here speaks it (Go's crypto/tls in Prometheus, the Pushgateway,
/// Alertmanager and nats-server; .NET; OpenSSL's curl), a key is made in well under a millisecond where RSA-2048 takes
/// tens to hundreds, and the PEM that lands in the stack files is a fifth of the size.
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    /// <summary>Ten years: a CA change means re-issuing every leaf and trusting both CAs during the switch, so it is rare.</summary>
    public static readonly TimeSpan DefaultValidity = TimeSpan.FromDays(3650);

    /// <summary>Certificates start a little in the past: the other machine's clock may be behind.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";

    private CertificateAuthority(X509Certificate2 certificate) => Certificate = certificate;

    /// <summary>The CA certificate with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <param name="name">Names the pair of stacks, e.g. "resilience mainpc+pc2"; it becomes the CN.</param>
    public static CertificateAuthority Create(string name, DateTimeOffset now, TimeSpan? validity = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={Escape(name)}"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var certificate = request.CreateSelfSigned(now - ClockSkew, now + (validity ?? DefaultValidity));
        return new CertificateAuthority(certificate);
    }

    /// <summary>The CA as the stack files keep it.</summary>
    /// <exception cref="CertificateException">The PEM is not a CA certificate with its matching key.</exception>
    public static CertificateAuthority FromPem(PemPair pem)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(pem.Certificate, pem.PrivateKey);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new CertificateException($"the CA certificate or key is not valid PEM, or the key does not match: {e.Message}");
        }
        if (certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true })
        {
            var subject = certificate.Subject;
            certificate.Dispose();
            throw new CertificateException($"{subject} is not a CA certificate (no basicConstraints CA:TRUE)");
        }
        return new CertificateAuthority(certificate);
    }

    /// <summary>A new key and a certificate for it signed by this CA, never outliving the CA.</summary>
    public X509Certificate2 Issue(LeafSpec spec, DateTimeOffset now)
    {
        if (spec.Addresses.Count == 0 && spec.DnsNames.Count == 0)
        {
            throw new CertificateException($"{spec.CommonName}: a certificate needs at least one address or DNS name to be verified by");
        }
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={Escape(spec.CommonName)}"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        // ECDSA keys sign; keyEncipherment is RSA's key exchange and would be wrong here.
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(UsagesOf(spec.Usage), critical: false));
        var names = new SubjectAlternativeNameBuilder();
        foreach (var address in spec.Addresses) names.AddIpAddress(address);
        foreach (var name in spec.DnsNames) names.AddDnsName(name);
        request.CertificateExtensions.Add(names.Build(critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var notAfter = Min(now + spec.Validity, Certificate.NotAfter);
        using var signed = request.Create(Certificate, now - ClockSkew, notAfter, SerialNumber());
        return signed.CopyWithPrivateKey(key);
    }

    public PemPair ToPem() => Pem.Of(Certificate);

    public void Dispose() => Certificate.Dispose();

    private static OidCollection UsagesOf(CertificateUsage usage)
    {
        var oids = new OidCollection();
        if (usage.HasFlag(CertificateUsage.Server)) oids.Add(new Oid(ServerAuth));
        if (usage.HasFlag(CertificateUsage.Client)) oids.Add(new Oid(ClientAuth));
        if (oids.Count == 0) throw new CertificateException("a leaf certificate needs the server usage, the client usage or both");
        return oids;
    }

    /// <summary>16 random bytes, positive: RFC 5280 asks for unique, unpredictable serials of at most 20 octets.</summary>
    private static byte[] SerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        serial[0] |= 0x01; // no leading zero octet, which DER would strip
        return serial;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTime b)
    {
        var other = new DateTimeOffset(b.ToUniversalTime(), TimeSpan.Zero);
        return a < other ? a : other;
    }

    /// <summary>A CN value as X.500 text: quoted when it holds a character that separates or escapes RDNs.</summary>
    private static string Escape(string value) =>
        value.IndexOfAny([',', '+', '"', '\\', '<', '>', ';', '=']) < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";
}
