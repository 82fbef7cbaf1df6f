using Resilience.Model;
using Resilience.Security.Listeners;
using Resilience.Stack.Config;

namespace Resilience.Stack.Components;

/// <summary>
/// NATS with the stack's security material (<see cref="StackSettings.Security"/>): what the machine's nats-server
/// serves — its certificate on the client port (clients prove themselves by password), on the leafnode listener or
/// remote and on the cluster routes (both ends are our servers: certificates verified against the pair's CA) — and
/// the role users it accepts; and what each NATS client of this stack presents: its role's user and the pair's CA.
/// </summary>
public sealed class NatsSecurity
{
    /// <summary>The server's directory inside its container: the stack's <c>nats/</c> directory.</summary>
    public const string ContainerDir = "/etc/nats";
    public const string CaFileName = "ca.pem";
    public const string CertificateFileName = "server.pem";
    public const string KeyFileName = "server-key.pem";

    private readonly StackSettings _s;
    private readonly SecuritySettings _security;

    private NatsSecurity(StackSettings s, SecuritySettings security)
    {
        _s = s;
        _security = security;
    }

    /// <summary>Null while the stack has no security material: its NATS runs as before (open, or natsPassword).</summary>
    public static NatsSecurity? Of(StackSettings s) => s.Security is { } security ? new NatsSecurity(s, security) : null;

    /// <summary>The CA bundle the failover runtime trusts for NATS, in its config directory (mounted at /etc/resilience).</summary>
    public const string RuntimeCaFile = "/etc/resilience/nats-ca.pem";

    /// <summary>The runtime's copy of the CA bundle (public, 0644); null without the security material.</summary>
    public static Resource? DeclareRuntimeCa(StackBuilder b) =>
        Of(b.Settings) is { } security ? b.AddFile("runtime/" + Path.GetFileName(RuntimeCaFile), security.CaPem) : null;

    /// <summary>The CA certificates every NATS client and peer trusts (PEM: one, or two during a CA rotation).</summary>
    public string CaPem => _security.CaCertificatesPem;

    /// <summary>This machine's certificate and key: served on every NATS listener, presented to the peer as a client.</summary>
    public ServiceCertificate Certificate => _security.Certificates.TryGetValue(_s.Machine, out var certificate)
        ? certificate
        : throw new InvalidOperationException($"the stack's security material has no certificate for the machine '{_s.Machine}'");

    public UserCredential Admin => _security.User(SecurityRoles.NatsAdmin);

    public UserCredential Leaf => _security.User(SecurityRoles.NatsLeaf);

    public UserCredential Runtime(string machine) => _security.User(SecurityRoles.NatsRuntime(machine));

    public UserCredential Agent(string machine) => _security.User(SecurityRoles.NatsAgent(machine));


    /// <summary>The top-level <c>tls { }</c> of the client port.</summary>
    public string ClientTls => Tls(verifyPeers: false).Render();

    /// <summary>The <c>tls { }</c> inside <c>leafnodes { }</c> (hub) or <c>cluster { }</c>: peers must show a certificate of the CA.</summary>
    public string PeerTls => NatsConf.Indent(Tls(verifyPeers: true).Render(), 2);

    /// <summary>The <c>tls { }</c> of the edge's leafnode remote: it verifies the hub and presents this machine's certificate.</summary>
    public string RemoteTls => NatsConf.Indent(Tls(verifyPeers: true).Render(), 6);

    public string Authorization => new NatsAuthorization(Users()).Render();

    /// <summary>The edge's leafnode remote: TLS, with the leaf link's user (the hub applies its permissions to the link).</summary>
    public string LeafRemoteUrl(string leafUrl)
    {
        var uri = new Uri(leafUrl);
        return NatsNode.WithCredentials($"tls://{uri.Host}:{uri.Port}", Leaf.User, Leaf.Password);
    }

    /// <summary>
    /// The users this machine's server accepts: the operator's tool (no limits), this machine's agents and runtime (their
    /// subjects only), and on the leafnode hub the leaf link. Only this machine's clients: each connects to its own server.
    /// </summary>
    public IReadOnlyList<NatsUser> Users()
    {
        var me = _s.Machine;
        var (peerStream, peerConsumer) = JetStreamTopology.PeerHealth(_s);
        var roles = new List<(string Role, NatsPermissions? Permissions)>
        {
            (SecurityRoles.NatsAdmin, NatsRoles.Admin()),
            (SecurityRoles.NatsAgent(me), NatsRoles.Agent(me, RuntimeConfigModel.KvBucket)),
            (SecurityRoles.NatsRuntime(me), NatsRoles.Runtime(me, peerStream, peerConsumer, _s.NatsCluster ? null : Machines.Other(me),
                kvBucket: RuntimeConfigModel.KvBucket)),
        };
        if (!_s.NatsCluster && _s.IsCentral) roles.Add((SecurityRoles.NatsLeaf, LeafLink()));
        // During a credential rotation the retiring generation is accepted beside the current one.
        return [.. roles.SelectMany(r => _security.Accepted(r.Role).Select(user => User(user, r.Permissions)))];
    }

    /// <summary>
    /// What may cross the leaf link: the sourcing of JetStreamTopology's streams in both directions, and each runtime's
    /// probe of the other domain's JetStream (<c>$JS.&lt;domain&gt;.API.INFO</c>, its partition detector) — without it
    /// a runtime would read the healthy peer as cut off.
    /// </summary>
    private static NatsPermissions LeafLink()
    {
        var (hub, edge) = (Machines.MainPc, Machines.Pc2);
        var link = NatsRoles.LeafLink(hub, edge,
            hubStreamsSourcedByEdge: ["observability-alerts", "observability-health"],
            edgeStreamsSourcedByHub: [.. JetStreamTopology.Streams.Select(d => d.Name)]);
        return new NatsPermissions(
            [.. link.PublishAllow, $"$JS.{hub}.API.INFO"],
            [.. link.SubscribeAllow, $"$JS.{edge}.API.INFO"]);
    }

    private static NatsUser User(UserCredential credential, NatsPermissions? permissions) =>
        new(credential.User, credential.PasswordHash, permissions);

    private static NatsTls Tls(bool verifyPeers) => new(
        $"{ContainerDir}/{CertificateFileName}", $"{ContainerDir}/{KeyFileName}", $"{ContainerDir}/{CaFileName}", verifyPeers);
}
