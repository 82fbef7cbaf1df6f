using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Resilience.Security.Certificates;

namespace Resilience.Stack.Config;

/// <summary>
/// Reads the stack's TLS and credential material (<see cref="SecurityKeys"/>) into <see cref="SecuritySettings"/>:
/// all of it or none (null: the stack's listeners run open). Part of it is an error naming the stack file and the
/// missing keys; a value that is not what it should be (PEM that does not parse, a key that does not match its
/// certificate, credentials missing a role) is an error naming the file and that key. Never a secret in a message.
/// </summary>
public static class SecurityMaterial
{
    public static SecuritySettings? Read(TypedConfig c, string machine)
    {
        var keys = SecurityKeys.ForStack(machine);
        var present = keys.Where(k => c.Config.Find(k) is not null).ToList();
        if (present.Count == 0) return null;
        if (present.Count < keys.Count)
        {
            var missing = keys.Except(present).ToList();
            throw new ConfigException(c.Config.StackFile, $"{c.Config.Project}:{missing[0]}",
                $"missing: the stack file holds part of its TLS and credential material ({string.Join(", ", present)}) but not " +
                $"{string.Join(", ", missing)}; run `./resilience security init --stack {c.Config.Stack}` to complete it (what is there is kept)");
        }

        var caPem = c.String(SecurityKeys.CaCertificate);
        var ca = Certificate(c, SecurityKeys.CaCertificate, caPem);
        var caKey = c.SecretOrNull(SecurityKeys.CaKey)!;
        try
        {
            using var authority = CertificateAuthority.FromPem(new PemPair(caPem, caKey));
        }
        catch (CertificateException)
        {
            throw Problem(c, SecurityKeys.CaKey, $"is not a PEM private key matching {SecurityKeys.CaCertificate} ('{ca.Subject}'), or that certificate is not a CA");
        }
        finally
        {
            ca.Dispose();
        }

        var certificateKey = SecurityKeys.Certificate(machine);
        var certificatePem = c.String(certificateKey);
        Certificate(c, certificateKey, certificatePem).Dispose();
        var keyKey = SecurityKeys.Key(machine);
        var keyPem = c.SecretOrNull(keyKey)!;
        try
        {
            using var paired = X509Certificate2.CreateFromPem(certificatePem, keyPem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw Problem(c, keyKey, $"is not a PEM private key matching {certificateKey}");
        }

        var credentialsKey = SecurityKeys.Credentials;
        var credentials = SecurityCredentials.Parse(c.SecretOrNull(credentialsKey)!, problem => Problem(c, credentialsKey, problem));
        if (credentials.Missing(SecurityRoles.All(SecurityKeys.RoleMachines)) is { Count: > 0 } roles)
        {
            throw Problem(c, credentialsKey, $"has no user for the role(s) {string.Join(", ", roles)}; run `./resilience security init --stack {c.Config.Stack}` to add them (the others are kept)");
        }

        return new SecuritySettings(caPem,
            new Dictionary<string, ServiceCertificate> { [machine] = new(certificatePem, keyPem) },
            credentials.Users)
        {
            RetiringUsers = credentials.Retiring,
        };
    }

    /// <summary>The certificate of a plain PEM value; an error naming the key when it is not one.</summary>
    public static X509Certificate2 Certificate(TypedConfig c, string key, string pem)
    {
        try
        {
            return X509Certificate2.CreateFromPem(pem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw Problem(c, key, "is not a PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
    }

    private static ConfigException Problem(TypedConfig c, string key, string problem) => TypedConfig.Error(c.Config.Find(key)!, problem);
}
