using System.Net.Http.Headers;
using Resilience.Security.Certificates;
using Resilience.Security.Passwords;

namespace Resilience.Testing;

/// <summary>
/// A pair's material as the stacks will hold it, for one address: a CA, the machine's certificate (server and client
/// usage, the address and localhost as SANs) and its key as files in a folder, and one user per HTTP
/// role (operator, hub, pusher) with its bcrypt hash (cost 4: the tests check bcrypt, not its price).
/// </summary>
public sealed class TestPki : IDisposable
{
    public static readonly string[] Roles = ["operator", "hub", "pusher"];

    public TestPki(string dir, string address, string name = "pair")
    {
        var now = DateTimeOffset.UtcNow;
        Ca = CertificateAuthority.Create($"resilience test {name}", now);
        using var machine = Ca.Issue(LeafSpec.For(address, CertificateUsage.ServerAndClient, address, "localhost"), now);
        Machine = PemFiles.Write(dir, $"{name}-machine", Pem.Of(machine));
        CaFile = PemFiles.WriteCertificate(dir, $"{name}-ca", Ca.ToPem().Certificate);
        var hasher = new BcryptHasher(4);
        foreach (var role in Roles)
        {
            var user = Credential.Generate($"{role}-g1");
            Users[role] = user;
            Hashes[role] = hasher.Hash(user.Password);
        }
    }

    public CertificateAuthority Ca { get; }
    public PemPaths Machine { get; }
    public string CaFile { get; }
    public Dictionary<string, Credential> Users { get; } = [];
    public Dictionary<string, string> Hashes { get; } = [];

    public Credential Operator => Users["operator"];
    public Credential Hub => Users["hub"];
    public Credential Pusher => Users["pusher"];

    /// <summary>An HTTPS client that trusts only this CA (or <paramref name="trust"/>) and sends <paramref name="user"/>, if any.</summary>
    public HttpClient Http(Credential? user = null, CaTrust? trust = null)
    {
        var client = new HttpClient((trust ?? new CaTrust(Ca.Certificate)).Handler()) { Timeout = TimeSpan.FromSeconds(10) };
        if (user is not null) client.DefaultRequestHeaders.Authorization = AuthenticationHeaderValue.Parse(user.BasicAuthorization());
        return client;
    }

    public void Dispose() => Ca.Dispose();
}
