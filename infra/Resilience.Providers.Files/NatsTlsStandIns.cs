using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace Resilience.Providers.Files;

/// <summary>
/// <c>nats-server -t</c> loads every certificate and key a config names, but a config is checked before anything is
/// written, and it names them where the server's container sees them (/etc/nats/...). For the check only, each
/// <c>cert_file</c>, <c>key_file</c> and <c>ca_file</c> is pointed at a throw-away pair in the check's own directory,
/// on the same line, so a refusal still quotes the config's own line numbers. The real files are made by the stack's
/// certificate authority and written beside the config.
/// </summary>
internal static partial class NatsTlsStandIns
{
    [GeneratedRegex("""^(\s*(?:cert_file|key_file|ca_file)\s*[:=]\s*)"[^"\n]*"[ \t]*$""", RegexOptions.Multiline)]
    private static partial Regex TlsFileLine();

    public static string Replace(string config, string dir)
    {
        if (!TlsFileLine().IsMatch(config)) return config;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=resilience config check", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        var certFile = Path.Combine(dir, "check-cert.pem");
        var keyFile = Path.Combine(dir, "check-key.pem");
        File.WriteAllText(certFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        return TlsFileLine().Replace(config, m =>
        {
            var file = m.Groups[1].Value.TrimStart().StartsWith("key_file", StringComparison.Ordinal) ? keyFile : certFile;
            return $"{m.Groups[1].Value}\"{file}\"";
        });
    }
}
