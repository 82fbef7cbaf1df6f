using Resilience.Security.Certificates;
using Resilience.Security.Passwords;
using Resilience.Stack.Config;

namespace Resilience.Tests.Stack.Nats;

/// <summary>
/// A pair's security material made in memory the way the stacks will hold it: one CA, a certificate per machine with
/// its address and name as SANs (server and client), and a generated password with its bcrypt hash per role (cost 4:
/// a test needs the format, not the cost).
/// </summary>
public static class NatsSecurityMaterial
{
    public static readonly IReadOnlyDictionary<string, string> DefaultAddresses = new Dictionary<string, string>
    {
        [Machines.MainPc] = "127.0.0.2",
        [Machines.Pc2] = "127.0.0.3",
        [Machines.Witness] = "127.0.0.4",
    };

    public static SecuritySettings Create(IReadOnlyDictionary<string, string>? addresses = null, string caName = "resilience test pair")
    {
        addresses ??= DefaultAddresses;
        var now = DateTimeOffset.UtcNow;
        using var ca = CertificateAuthority.Create(caName, now);
        var certificates = addresses.ToDictionary(a => a.Key, a =>
        {
            using var leaf = ca.Issue(LeafSpec.For(a.Key, CertificateUsage.ServerAndClient, a.Value, a.Key), now);
            var pem = Pem.Of(leaf);
            return new ServiceCertificate(pem.Certificate, pem.PrivateKey);
        });
        var hasher = new BcryptHasher(4);
        var users = SecurityRoles.All(addresses.Keys).ToDictionary(role => role, role =>
        {
            var credential = Credential.Generate(role + "-g1");
            return new UserCredential(credential.User, credential.Password, hasher.Hash(credential.Password));
        });
        return new SecuritySettings(ca.ToPem().Certificate, certificates, users);
    }
}
