using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Resilience.Security.Certificates;

/// <summary>PEM export: the certificate as "CERTIFICATE", the key as PKCS#8 "PRIVATE KEY", which Go's crypto/tls
/// (Prometheus, the Pushgateway, Alertmanager, nats-server), OpenSSL and .NET all read.</summary>
public static class Pem
{
    public static PemPair Of(X509Certificate2 certificate)
    {
        using var key = certificate.GetECDsaPrivateKey() as AsymmetricAlgorithm
            ?? certificate.GetRSAPrivateKey()
            ?? throw new CertificateException($"{certificate.Subject}: no private key to export");
        return new PemPair(certificate.ExportCertificatePem() + "\n", key.ExportPkcs8PrivateKeyPem() + "\n");
    }

    /// <summary>Several certificates in one file: a CA bundle, e.g. the old and the new CA during a rotation.</summary>
    public static string Bundle(IEnumerable<X509Certificate2> certificates) =>
        string.Concat(certificates.Select(c => c.ExportCertificatePem() + "\n"));
}
