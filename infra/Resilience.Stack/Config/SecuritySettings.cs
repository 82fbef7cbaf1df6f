namespace Resilience.Stack.Config;

/// <summary>
/// The pair's TLS and credential material (issue 16), read from the stack file's secrets. Null on
/// <see cref="StackSettings"/> while a stack has none: its listeners then run open, as before.
/// </summary>
/// <param name="CaCertificatesPem">The CA certificates every client trusts (PEM, one or more: two during a CA rotation).</param>
/// <param name="Certificates">By machine name: the certificate every listener of that machine serves (SANs: its address
/// and its name; usable as a client certificate too) and its key.</param>
/// <param name="Users">By role (<see cref="SecurityRoles"/>): the user each kind of client presents.</param>
public sealed record SecuritySettings(
    string CaCertificatesPem,
    IReadOnlyDictionary<string, ServiceCertificate> Certificates,
    IReadOnlyDictionary<string, UserCredential> Users)
{
    public UserCredential User(string role) => Users.TryGetValue(role, out var user)
        ? user
        : throw new InvalidOperationException($"no credential for the role '{role}'");

    /// <summary>During a credential rotation, by role: the previous generation's user, still accepted by every listener
    /// (listed beside <see cref="Users"/>) but no longer presented by any client. Empty otherwise.</summary>
    public IReadOnlyDictionary<string, UserCredential> RetiringUsers { get; init; } = new Dictionary<string, UserCredential>();

    /// <summary>The users a listener accepts for <paramref name="role"/>: the current one, and the retiring one during a rotation.</summary>
    public IReadOnlyList<UserCredential> Accepted(string role) =>
        RetiringUsers.TryGetValue(role, out var retiring) ? [User(role), retiring] : [User(role)];
}

public sealed record ServiceCertificate(string CertificatePem, string KeyPem);

/// <param name="PasswordHash">The bcrypt hash of <paramref name="Password"/>, kept with it so that rendered web configs
/// and NATS configs do not change on every render (bcrypt salts at random).</param>
public sealed record UserCredential(string User, string Password, string PasswordHash)
{
    public override string ToString() => $"{User}:<secret>";
}

/// <summary>The roles that hold credentials. HTTP roles authenticate to the Prometheus family and the runtime; NATS
/// roles are the nats-server users of <c>Resilience.Security.Listeners.NatsRoles</c>.</summary>
public static class SecurityRoles
{
    /// <summary>The operator and the tool itself (CLI gates, status, readiness probes): every HTTP listener.</summary>
    public const string Operator = "operator";

    /// <summary>Hub to hub and hub to its targets: scrapes, federation, remote write, Alertmanager notifications.</summary>
    public const string Hub = "hub";

    /// <summary>What pushes samples: agents and runtimes to a Pushgateway or a runtime's ingest.</summary>
    public const string Pusher = "pusher";

    /// <summary>NATS: the leaf link between the domains.</summary>
    public const string NatsLeaf = "nats-leaf";

    /// <summary>NATS: the operator's tool (the JetStream provider): no limits.</summary>
    public const string NatsAdmin = "nats-admin";

    /// <summary>NATS: the agents of a machine.</summary>
    public static string NatsAgent(string machine) => $"nats-agent-{machine}";

    /// <summary>NATS: the failover runtime of a machine.</summary>
    public static string NatsRuntime(string machine) => $"nats-runtime-{machine}";

    public static IReadOnlyList<string> All(IEnumerable<string> machines) =>
        [Operator, Hub, Pusher, NatsLeaf, NatsAdmin, .. machines.SelectMany(m => new[] { NatsAgent(m), NatsRuntime(m) })];
}
