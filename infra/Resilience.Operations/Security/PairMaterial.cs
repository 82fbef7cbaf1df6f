using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Resilience.Secrets;
using Resilience.Security.Certificates;
using Resilience.Security.Passwords;
using Resilience.Stack.Config;

namespace Resilience.Operations.Security;

/// <param name="LeafValidity">How long a machine certificate is valid (a year; tests make it short to see renewal).</param>
/// <param name="CaValidity">How long a new CA is valid (ten years).</param>
/// <param name="GetVariable">Reads the passphrase variables; defaults to the process environment.</param>
public sealed record MaterialOptions(TimeSpan LeafValidity, TimeSpan CaValidity, Func<string, string?>? GetVariable = null)
{
    public static MaterialOptions Default { get; } = new(LeafSpec.DefaultValidity, CertificateAuthority.DefaultValidity);
}

/// <summary>What one stack file got: the keys written and the keys it already had (kept as they were).</summary>
public sealed record StackMaterialChange(string Stack, string StackFile, string Machine, IReadOnlyList<string> Written, IReadOnlyList<string> Kept);

public sealed record MaterialResult(IReadOnlyList<StackMaterialChange> Stacks, bool CaCreated, IReadOnlyList<string> RolesCreated, TimeSpan Elapsed)
{
    public bool Changed => Stacks.Any(s => s.Written.Count > 0);
}

/// <summary>
/// Makes the pair's TLS and credential material and writes it into every stack file of the pair (<see cref="PairStack"/>):
/// one CA (P-256), one set of credentials (every role of <see cref="SecurityRoles.All"/>), and for each stack its
/// machine's certificate (SANs: its address and its name; serverAuth and clientAuth). Idempotent: what a stack file
/// holds is kept, what one file holds is copied to the others, only what none holds is made. Secrets go through
/// the stack files' passphrase provider, as `config set --secret` writes them; comments and other lines are kept.
/// </summary>
public static class PairMaterial
{
    public static MaterialResult Ensure(string projectDir, DateTimeOffset now, MaterialOptions? options = null)
    {
        options ??= MaterialOptions.Default;
        var started = System.Diagnostics.Stopwatch.StartNew();
        var stacks = PairStack.Find(projectDir);
        var readers = stacks.ToDictionary(s => s.Stack, s => new MaterialReader(s, options.GetVariable));

        var (caPem, caCreated) = Ca(stacks, readers, now, options);
        using var ca = CertificateAuthority.FromPem(caPem);
        var (credentials, rolesCreated) = Credentials(stacks, readers);

        var changes = new List<StackMaterialChange>();
        foreach (var stack in stacks)
        {
            var reader = readers[stack.Stack];
            var wanted = new Dictionary<string, (string Value, bool Secret)>
            {
                [SecurityKeys.CaCertificate] = (caPem.Certificate, false),
                [SecurityKeys.CaKey] = (caPem.PrivateKey, true),
                [SecurityKeys.Credentials] = (credentials.ToJson(), true),
            };
            var certificateKey = SecurityKeys.Certificate(stack.Machine);
            var keyKey = SecurityKeys.Key(stack.Machine);
            if (reader.Plain(certificateKey) is not { } certificate || reader.Secret(keyKey) is not { } key)
            {
                var issued = Pem.Of(Issue(ca, stack, now, options.LeafValidity));
                (certificate, key) = (issued.Certificate, issued.PrivateKey);
            }
            wanted[certificateKey] = (certificate, false);
            wanted[keyKey] = (key, true);
            changes.Add(Write(stack, reader, wanted, options.GetVariable));
        }
        return new MaterialResult(changes, caCreated, rolesCreated, started.Elapsed);
    }

    /// <summary>What a machine's certificate must say: its address and its name, for listening and for calling.</summary>
    public static LeafSpec Wanted(PairStack stack, TimeSpan validity)
    {
        var address = new TypedConfig(stack.Config).Address($"{stack.Machine}Address");
        return LeafSpec.For(stack.Machine, CertificateUsage.ServerAndClient, address, stack.Machine) with { Validity = validity };
    }

    public static X509Certificate2 Issue(CertificateAuthority ca, PairStack stack, DateTimeOffset now, TimeSpan validity) =>
        ca.Issue(Wanted(stack, validity), now);

    /// <summary>Writes the keys whose value differs from the file's; reports every key.</summary>
    internal static StackMaterialChange Write(PairStack stack, MaterialReader reader, IReadOnlyDictionary<string, (string Value, bool Secret)> wanted,
        Func<string, string?>? getVariable)
    {
        var written = new List<string>();
        var kept = new List<string>();
        StackFileEditor? editor = null;
        StackSecrets? secrets = null;
        foreach (var (key, (value, secret)) in wanted)
        {
            var current = secret ? reader.Secret(key) : reader.Plain(key);
            if (current == value)
            {
                kept.Add(key);
                continue;
            }
            editor ??= StackFileEditor.Load(stack.StackFile);
            var fullKey = $"{stack.Config.Project}:{key}";
            if (secret)
            {
                secrets ??= StackSecrets.Open(stack.StackFile, editor.EncryptionSalt, editor.SecretsProvider, getVariable);
                editor.SetSecret(fullKey, value, secrets);
            }
            else
            {
                editor.Set(fullKey, value);
            }
            written.Add(key);
        }
        editor?.Save();
        return new StackMaterialChange(stack.Stack, stack.StackFile, stack.Machine, written, kept);
    }

    private static (PemPair Pem, bool Created) Ca(IReadOnlyList<PairStack> stacks, IReadOnlyDictionary<string, MaterialReader> readers, DateTimeOffset now, MaterialOptions options)
    {
        var held = stacks.Select(s => (Stack: s, Certificate: readers[s.Stack].Plain(SecurityKeys.CaCertificate))).Where(h => h.Certificate is not null).ToList();
        if (held.Count == 0)
        {
            using var created = CertificateAuthority.Create($"resilience {string.Join("+", stacks.Select(s => s.Stack))}", now, options.CaValidity);
            return (created.ToPem(), true);
        }
        var first = held[0];
        if (held.FirstOrDefault(h => h.Certificate != first.Certificate) is { Stack: not null } other)
        {
            throw new ConfigException(other.Stack.StackFile, $"{other.Stack.Config.Project}:{SecurityKeys.CaCertificate}",
                $"holds another CA than {Path.GetFileName(first.Stack.StackFile)}: the stack files of a pair share one CA; remove the wrong one (`config rm`) and run `security init` again");
        }
        var key = held.Select(h => readers[h.Stack.Stack].Secret(SecurityKeys.CaKey)).FirstOrDefault(k => k is not null)
            ?? throw new ConfigException(first.Stack.StackFile, $"{first.Stack.Config.Project}:{SecurityKeys.CaKey}",
                $"missing: no stack file of the pair holds the key of {SecurityKeys.CaCertificate}; without it no certificate can be issued: remove {SecurityKeys.CaCertificate} from every stack file to make a new CA");
        var pem = new PemPair(first.Certificate!, key);
        try
        {
            using var check = CertificateAuthority.FromPem(pem);
        }
        catch (CertificateException)
        {
            throw new ConfigException(first.Stack.StackFile, $"{first.Stack.Config.Project}:{SecurityKeys.CaKey}",
                $"is not a PEM private key matching {SecurityKeys.CaCertificate}, or that certificate is not a CA");
        }
        return (pem, false);
    }

    private static (SecurityCredentials Credentials, IReadOnlyList<string> Created) Credentials(IReadOnlyList<PairStack> stacks, IReadOnlyDictionary<string, MaterialReader> readers)
    {
        var held = stacks.Select(s => (Stack: s, Credentials: readers[s.Stack].Credentials())).Where(h => h.Credentials is not null).ToList();
        var existing = held.Count > 0 ? held[0].Credentials! : new SecurityCredentials(new Dictionary<string, UserCredential>(), new Dictionary<string, UserCredential>());
        if (held.FirstOrDefault(h => h.Credentials!.ToJson() != existing.ToJson()) is { Stack: not null } other)
        {
            throw new ConfigException(other.Stack.StackFile, $"{other.Stack.Config.Project}:{SecurityKeys.Credentials}",
                $"differs from {Path.GetFileName(held[0].Stack.StackFile)}'s: the stack files of a pair share one set of credentials; remove the wrong one (`config rm`) and run `security init` again");
        }
        var missing = existing.Missing(SecurityRoles.All(SecurityKeys.RoleMachines));
        if (missing.Count == 0) return (existing, []);
        var hasher = new BcryptHasher();
        var users = new Dictionary<string, UserCredential>(existing.Users);
        foreach (var role in missing) users[role] = NewUser(role, 1, hasher);
        return (existing with { Users = users }, missing);
    }

    /// <summary>A new user of <paramref name="role"/>: its name carries the generation, so that during a rotation the
    /// old and the new are two users a listener accepts side by side.</summary>
    public static UserCredential NewUser(string role, int generation, BcryptHasher hasher)
    {
        var credential = Credential.Generate($"{role}-g{generation}");
        return new UserCredential(credential.User, credential.Password, hasher.Hash(credential.Password));
    }
}

/// <summary>Reads one stack file's material as it is: plain values, decrypted secrets (the passphrase is asked for only
/// when a secret is read).</summary>
internal sealed class MaterialReader(PairStack stack, Func<string, string?>? getVariable)
{
    private readonly Func<ConfigValue, string> _decrypt = ConfigSecrets.Decrypter(stack.Config, getVariable);

    public string? Plain(string key) => stack.Config.Find(key) switch
    {
        null => null,
        { IsSecure: true } value => throw TypedConfig.Error(value, "is a secret where a plain value is expected (a certificate is public)"),
        { Value: JsonValue v } when v.TryGetValue<string>(out var text) => text,
        var value => throw TypedConfig.Error(value, "expected a PEM text"),
    };

    public string? Secret(string key) => new TypedConfig(stack.Config, _decrypt).SecretOrNull(key);

    public SecurityCredentials? Credentials()
    {
        var key = SecurityKeys.Credentials;
        return Secret(key) is { } json
            ? SecurityCredentials.Parse(json, problem => TypedConfig.Error(stack.Config.Find(key)!, problem))
            : null;
    }
}
