using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Resilience.Security.Certificates;

/// <summary>
/// Trusting exactly the stack pair's CA(s) and nothing else: not the machine's store, not a certificate some other CA
/// signed. What the CLI's gates, the runtime and the tests use to call a listener over HTTPS.
/// </summary>
public sealed class CaTrust(IReadOnlyList<X509Certificate2> roots)
{
    public CaTrust(X509Certificate2 root) : this([root])
    {
    }

    /// <summary>The roots of a PEM bundle: one CA, or two during a CA rotation.</summary>
    public static CaTrust FromPem(string pem)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPem(pem);
        return roots.Count > 0 ? new CaTrust([.. roots]) : throw new CertificateException("the CA bundle holds no certificate");
    }

    /// <summary><see cref="Validate"/> as the callback SslStream and NATS.Net's ConfigureClientAuthentication take.</summary>
    public RemoteCertificateValidationCallback Callback => (_, certificate, _, errors) => Validate(certificate as X509Certificate2, errors);

    /// <summary>Validation for <see cref="SslClientAuthenticationOptions.RemoteCertificateValidationCallback"/>: the
    /// name the client dialled must be one of the certificate's SANs, and the chain must end at one of the roots.</summary>
    public bool Validate(X509Certificate2? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return false;
        }
        using var chain = ChainFor(roots);
        return chain.Build(certificate);
    }

    /// <summary>An HTTP handler that trusts only these roots, optionally presenting a client certificate.</summary>
    public SocketsHttpHandler Handler(X509Certificate2? clientCertificate = null)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => Validate(certificate as X509Certificate2, errors);
        if (clientCertificate is not null) handler.SslOptions.ClientCertificates = [clientCertificate];
        return handler;
    }

    /// <summary>A chain that accepts only <paramref name="roots"/> as anchors (no system store, no revocation lists:
    /// a private CA publishes none).</summary>
    public static X509Chain ChainFor(params IReadOnlyList<X509Certificate2> roots)
    {
        var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        foreach (var root in roots) chain.ChainPolicy.CustomTrustStore.Add(root);
        return chain;
    }
}
