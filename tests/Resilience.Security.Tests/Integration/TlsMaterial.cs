using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;

namespace Resilience.Security.Tests.Integration;

/// <summary>A CA, a server certificate for one address, a client certificate, and their files in a temp dir: what a
/// stack will write for one listener.</summary>
public sealed class TlsMaterial : IDisposable
{
    private readonly TempDir _dir = new("resilience-security-");

    public TlsMaterial(string address)
    {
        Address = address;
        Ca = CertificateAuthority.Create("resilience test pair", DateTimeOffset.UtcNow);
        Server = Ca.Issue(LeafSpec.For("listener", CertificateUsage.Server, address, "localhost"), DateTimeOffset.UtcNow);
        Client = Ca.Issue(LeafSpec.For("caller", CertificateUsage.Client, address), DateTimeOffset.UtcNow);
        ServerFiles = PemFiles.Write(Dir, "server", Pem.Of(Server));
        ClientFiles = PemFiles.Write(Dir, "client", Pem.Of(Client));
        CaFile = PemFiles.WriteCertificate(Dir, "ca", Ca.ToPem().Certificate);
    }

    public string Address { get; }
    public string Dir => _dir.Path;
    public CertificateAuthority Ca { get; }
    public X509Certificate2 Server { get; }
    public X509Certificate2 Client { get; }
    public PemPaths ServerFiles { get; }
    public PemPaths ClientFiles { get; }
    public string CaFile { get; }

    /// <summary>An HTTPS client that trusts only <paramref name="trust"/> (default: this CA) and sends the credential, if any.</summary>
    public HttpClient Http(Credential? credential = null, CaTrust? trust = null, X509Certificate2? clientCertificate = null)
    {
        var client = new HttpClient((trust ?? new CaTrust(Ca.Certificate)).Handler(clientCertificate)) { Timeout = TimeSpan.FromSeconds(10) };
        if (credential is not null) client.DefaultRequestHeaders.Authorization = AuthenticationHeaderValue.Parse(credential.BasicAuthorization());
        return client;
    }

    public void Dispose()
    {
        Server.Dispose();
        Client.Dispose();
        Ca.Dispose();
        _dir.Dispose();
    }
}
