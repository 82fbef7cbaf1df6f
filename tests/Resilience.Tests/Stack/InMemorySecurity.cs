using Resilience.Security.Certificates;
using Resilience.Security.Passwords;
using Resilience.Stack.Config;

namespace Resilience.Tests.Stack;

/// <summary>A pair's TLS and credential material made in memory (a CA, each machine's certificate, every role's user),
/// as the stack files would hold it: what the rendering tests secure a stack with.</summary>
public static class InMemorySecurity
{
    private static readonly Lazy<SecuritySettings> Shared = new(() => Make(new Dictionary<string, string>
    {
        [Machines.MainPc] = "127.0.0.2",
        [Machines.Pc2] = "127.0.0.3",
        [Machines.Witness] = "127.0.0.4",
    }));

    /// <summary>One pair's material for the committed addresses (made once: bcrypt is the slow part).</summary>
    public static SecuritySettings Committed => Shared.Value;

    public static SecuritySettings Make(IReadOnlyDictionary<string, string> addressByMachine)
    {
        var now = DateTimeOffset.UtcNow;
        using var ca = CertificateAuthority.Create("resilience test pair", now);
        var certificates = addressByMachine.ToDictionary(m => m.Key, m =>
        {
            using var leaf = ca.Issue(LeafSpec.For(m.Key, CertificateUsage.Server | CertificateUsage.Client, m.Value, m.Key), now);
            var pem = Pem.Of(leaf);
            return new ServiceCertificate(pem.Certificate, pem.PrivateKey);
        });
        // Cost 4: the servers read any cost; the tests need no slow hash.
        var hasher = new BcryptHasher(4);
        var users = SecurityRoles.All(Machines.Stacks).ToDictionary(role => role, role =>
        {
            var password = Credential.RandomPassword();
            return new UserCredential($"{role}-g1", password, hasher.Hash(password));
        });
        return new SecuritySettings(ca.ToPem().Certificate, certificates, users);
    }
}
