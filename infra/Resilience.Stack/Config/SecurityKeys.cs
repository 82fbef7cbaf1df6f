namespace Resilience.Stack.Config;

/// <summary>
/// The stack config keys that hold the pair's TLS and credential material (declared in Pulumi.yaml). Every stack file
/// of the pair holds the same CA (certificate and key) and the same credentials; each holds its own machine's
/// certificate and key.
/// </summary>
public static class SecurityKeys
{
    /// <summary>auto: <c>up</c> makes missing material and renews due certificates; manual: only <c>security init</c> does.</summary>
    public const string Policy = "securityMaterial";

    public const string PolicyAuto = "auto";
    public const string PolicyManual = "manual";

    /// <summary>The CA certificate, PEM, plain (public).</summary>
    public const string CaCertificate = "tlsCaCertificate";

    /// <summary>The CA key, PKCS#8 PEM, secure.</summary>
    public const string CaKey = "tlsCaKey";

    /// <summary>Every role's user, password and bcrypt hash, one JSON document (<see cref="SecurityCredentials"/>), secure.</summary>
    public const string Credentials = "securityCredentials";

    /// <summary>The machine's certificate, PEM, plain: tlsMainpcCertificate, tlsPc2Certificate, tlsWitnessCertificate.</summary>
    public static string Certificate(string machine) => $"tls{Capitalized(machine)}Certificate";

    /// <summary>The machine's key, PKCS#8 PEM, secure: tlsMainpcKey, tlsPc2Key, tlsWitnessKey.</summary>
    public static string Key(string machine) => $"tls{Capitalized(machine)}Key";

    /// <summary>What the stack of <paramref name="machine"/> must hold, all or none.</summary>
    public static IReadOnlyList<string> ForStack(string machine) => [CaCertificate, CaKey, Certificate(machine), Key(machine), Credentials];

    /// <summary>The keys that are material, not desired state: a rollback never puts an old value back (it would
    /// bring back a retired password or an expired certificate).</summary>
    public static bool IsMaterial(string key) =>
        key is CaCertificate or CaKey or Credentials || Machines.Stacks.Any(m => key == Certificate(m) || key == Key(m));

    /// <summary>The machines whose agents and runtimes hold NATS roles (the witness runs only a nats-server).</summary>
    public static IReadOnlyList<string> RoleMachines => Machines.Stacks;

    private static string Capitalized(string machine) => char.ToUpperInvariant(machine[0]) + machine[1..];
}
