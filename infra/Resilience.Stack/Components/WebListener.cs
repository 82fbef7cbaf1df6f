using Resilience.Contracts;
using Resilience.Contracts.Docker;
using Resilience.Model;
using Resilience.Security.Listeners;
using Resilience.Stack.Config;

namespace Resilience.Stack.Components;

/// <summary>
/// TLS and basic auth of one Prometheus-family listener (a hub, a Pushgateway, an Alertmanager) when the stack has
/// <see cref="StackSettings.Security"/>: the machine's certificate and key, the pair's CA and the web config (bcrypt
/// hashes of the roles let in) as files in the component's folder, read by the server through
/// <c>--web.config.file</c>. The server reads the web config on every request and the certificate on every handshake,
/// so a rotation is a file write (measured: docs/security.md). Who is let in:
/// <list type="bullet">
/// <item>hubs: the operator (the CLI, the tool's ready and reload calls) and the hub role (the other hub's scrapes,
/// federation and remote write; the failover runtime's remote write);</item>
/// <item>Pushgateways: the operator, the hub role (the hubs' scrapes) and the pusher role (agents, the runtime's
/// Pushgateway tier);</item>
/// <item>Alertmanagers: the operator and the hub role (both hubs' alerts and scrapes).</item>
/// </list>
/// </summary>
public sealed class WebListener
{
    /// <summary>nobody:nogroup, the user the hubs and Pushgateways run as: it must read the 0600 key, web config and
    /// password files, so they are given to it.</summary>
    public const string Nobody = "65534:65534";

    public const string WebConfigFile = "web.yml";
    public const string CaFile = "tls/ca.pem";
    public const string CertificateFile = "tls/server.pem";
    public const string KeyFile = "tls/server-key.pem";

    private readonly string _hostDir;

    private WebListener(string hostDir, string containerDir, IReadOnlyList<Resource> files, HttpProbeAuth probeAuth)
    {
        _hostDir = hostDir;
        ContainerDir = containerDir;
        Files = files;
        ProbeAuth = probeAuth;
    }

    /// <summary>The folder the component's host folder is mounted as.</summary>
    public string ContainerDir { get; }

    /// <summary>The certificate, key, CA and web config: the container starts after them.</summary>
    public IReadOnlyList<Resource> Files { get; }

    /// <summary>How the tool calls the listener's ready and reload URLs: as the operator, trusting the pair's CA.</summary>
    public HttpProbeAuth ProbeAuth { get; }

    public string WebConfigArgument => $"--web.config.file={ContainerDir}/{WebConfigFile}";

    /// <summary>The pair's CA as the container sees it.</summary>
    public string ContainerCaFile => $"{ContainerDir}/{CaFile}";

    public string HostPath(string relative) => Path.Combine(_hostDir, relative);

    /// <summary>The roles each kind of listener lets in (see the class summary).</summary>
    public static IReadOnlyList<string> RolesOf(string kind) => kind switch
    {
        "hub" => [SecurityRoles.Operator, SecurityRoles.Hub],
        "pushgateway" => [SecurityRoles.Operator, SecurityRoles.Hub, SecurityRoles.Pusher],
        "alertmanager" => [SecurityRoles.Operator, SecurityRoles.Hub],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "hub, pushgateway or alertmanager"),
    };

    /// <param name="component">The component's host folder (centralhub, edgehub, pushgateway, alertmanager).</param>
    /// <param name="containerDir">Where the container sees that folder.</param>
    /// <param name="kind">hub, pushgateway or alertmanager: which roles are let in.</param>
    /// <param name="owner">The container's user when it is not root (it reads the 0600 files).</param>
    /// <returns>Null while the stack has no security material: the listener stays open, as before.</returns>
    public static WebListener? Declare(StackBuilder b, string component, string containerDir, string kind, string? owner)
    {
        if (b.Settings.Security is not { } security) return null;
        var certificate = security.Certificates.TryGetValue(b.Settings.Machine, out var found)
            ? found
            : throw new InvalidOperationException($"the stack's security material has no certificate for {b.Settings.Machine}");
        // Current users, and during a credential rotation the retiring ones too (old and new accepted while callers switch).
        var users = RolesOf(kind).SelectMany(security.Accepted).ToList();
        var web = new WebConfig(
            new WebTls($"{containerDir}/{CertificateFile}", $"{containerDir}/{KeyFile}"),
            users.ToDictionary(u => u.User, u => u.PasswordHash, StringComparer.Ordinal));
        var files = new List<Resource>
        {
            b.AddFile($"{component}/{CaFile}", security.CaCertificatesPem),
            b.AddFile($"{component}/{CertificateFile}", certificate.CertificatePem),
            b.AddFile($"{component}/{KeyFile}", certificate.KeyPem, secret: true, owner: owner),
            // Hashes only, but it names the users: 0600 like the key.
            b.AddFile($"{component}/{WebConfigFile}", web.ToYaml(), secret: true, owner: owner),
        };
        var hostDir = Path.Combine(b.HostDir, component);
        var operatorUser = security.User(SecurityRoles.Operator);
        var auth = new HttpProbeAuth
        {
            CaFile = Path.Combine(hostDir, CaFile),
            User = operatorUser.User,
            Password = SecretText.Hidden(operatorUser.Password),
        };
        return new WebListener(hostDir, containerDir, files, auth);
    }

    /// <summary>
    /// The client half for a hub: the hub role's password in a 0600 file its Prometheus reads (<c>password_file</c>,
    /// so prometheus.yml holds no secret), and what the config templates need to call the other listeners over TLS.
    /// </summary>
    /// <remarks>
    /// The file is named after the user (<see cref="PasswordFileOf"/>): Prometheus reads a <c>password_file</c> on every
    /// request but the user name only from prometheus.yml at a reload, so one file rewritten in place would pair the
    /// running config's old user with the new password from the write until the reload: every remote write, scrape and
    /// notification in between is refused (401), and remote write drops a refused batch for good (measured: 4 of 180
    /// samples lost on CentralHub in a rotation's switch round). A file per user lets the running config keep its own
    /// until the reload switches both; the old file is deleted after the hub stopped using it.
    /// </remarks>
    public HubClientTls HubClient(StackBuilder b, string component, string? owner)
    {
        var security = b.Settings.Security!;
        var hub = security.User(SecurityRoles.Hub);
        var senders = new List<RemoteWriteSender>();
        var files = new List<Resource>();
        // The retiring user (a rotation's switch round) keeps its own remote-write entry beside the new one's; see RemoteWriteSender.
        foreach (var user in security.RetiringUsers.TryGetValue(SecurityRoles.Hub, out var retiring) ? [retiring, hub] : new[] { hub })
        {
            files.Add(b.AddFile($"{component}/{PasswordFileOf(user.User)}", user.Password, secret: true, owner: owner));
            senders.Add(new RemoteWriteSender($"centralhub-{user.User}", user.User, $"{ContainerDir}/{PasswordFileOf(user.User)}"));
        }
        return new HubClientTls(files, new HubClientModel(ContainerCaFile, hub.User, $"{ContainerDir}/{PasswordFileOf(hub.User)}", b.Settings.This.Address, senders));
    }

    /// <summary>The hub's password file, relative to its component folder: <c>secrets/hub-g2.password</c>.</summary>
    public static string PasswordFileOf(string user) => $"secrets/{user}.password";
}

/// <summary>The hub's password file and the model of its clients' TLS settings.</summary>
public sealed record HubClientTls(IReadOnlyList<Resource> PasswordFiles, HubClientModel Model);

/// <param name="LocalServerName">The name a sibling on this machine is verified by: the machine's address (in bridge mode
/// siblings are dialled by container name, which the certificate does not carry).</param>
/// <param name="RemoteWriteSenders">EdgeHub's remote-write entries to CentralHub: one per hub user CentralHub accepts
/// and this hub still presents (two in a rotation's switch round).</param>
public sealed record HubClientModel(string CaFile, string User, string PasswordFile, string LocalServerName, IReadOnlyList<RemoteWriteSender> RemoteWriteSenders);

/// <summary>
/// One remote-write entry, named after its user. Prometheus restarts a remote-write queue whose entry changed at a
/// reload, and the new queue sends only samples newer than its start: what the old one had not sent yet is lost
/// (measured: one sample in about five rotations). So a rotation never changes an entry: the switch round adds the new
/// user's entry beside the old one's (both send every sample; CentralHub takes an identical copy as a no-op), and the
/// last round removes the old one, while the new one runs on unchanged.
/// </summary>
public sealed record RemoteWriteSender(string Name, string User, string PasswordFile);
