using Resilience.Contracts.Docker;
using Resilience.Contracts.Files;
using Resilience.Model;
using Resilience.Stack.Config;
using Resilience.Stack.Rendering;

namespace Resilience.Stack.Components;

/// <summary>
/// The machine's nats-server. In the leafnode topology (the default) it is its own JetStream domain (named after
/// the machine) and MainPC accepts a leafnode from PC2; the deny rules on the leaf keep observability subjects from
/// crossing twice (they cross as sources). In the three-node and two-node topologies it is one node of a single,
/// domain-less JetStream cluster whose routes reach every other node on resilience:natsClusterPort.
/// </summary>
public static class NatsNode
{
    public const string ClusterName = "resilience";

    /// <summary>The server's data volume (its streams): kept in Phase 1, when the server is not deployed.</summary>
    public static Resource DeclareData(StackBuilder b) => b.Add("nats-data", new VolumeInputs { Name = b.ContainerName("nats-data") });

    public static Resource Declare(StackBuilder b, TemplateRenderer templates, Resource image, Resource? network)
    {
        var s = b.Settings;
        var endpoints = new Endpoints(s);
        var me = s.This;
        var spec = new ContainerSpec(b, "nats", StackImages.NameOf(image));
        // With the security material the per-role users replace natsPassword, and routes prove themselves by certificate.
        var security = NatsSecurity.Of(s);
        var password = security is null ? s.NatsPassword : null;
        var routes = s.ClusterMachines.Where(m => m != s.Machine)
            .Select(m => $"nats-route://{s.Machines[m].Address}:{s.NatsClusterPort}")
            .Select(url => password is null ? url : WithCredentials(url, s.NatsUser, password))
            .ToList();
        var model = new
        {
            ServerName = s.Machine,
            Domain = s.Machine,
            Hub = s.IsCentral,
            Cluster = s.NatsCluster,
            Topology = s.NatsTopology,
            ClusterName,
            ClusterListen = spec.Listen(s.NatsClusterPort, 6222),
            ClusterAdvertise = $"{me.Address}:{s.NatsClusterPort}",
            Routes = routes,
            Listen = spec.Listen(me.NatsPort, 4222),
            MonitorListen = spec.Listen(me.NatsMonitorPort, 8222),
            LeafListen = spec.Listen(s.NatsLeafPort, 7422),
            LeafAdvertise = s.HostNetwork ? null : $"{me.Address}:{s.NatsLeafPort}",
            LeafUrl = endpoints.LeafUrl,
            PingInterval = s.NatsPingInterval,
            PingMax = s.NatsPingMax,
            Auth = password is not null,
            UserLiteral = ConfLiteral(s.NatsUser),
            PasswordLiteral = ConfLiteral(password ?? ""),
            LeafUrlWithCredentials = security is not null ? security.LeafRemoteUrl(endpoints.LeafUrl)
                : password is null ? endpoints.LeafUrl : WithCredentials(endpoints.LeafUrl, s.NatsUser, password),
            Security = security is not null,
            ClientTls = security?.ClientTls,
            PeerTls = security?.PeerTls,
            RemoteTls = security?.RemoteTls,
            Authorization = security?.Authorization,
        };
        var config = templates.Render("nats-server.conf.sbn", model);
        // With credentials inside (a password, or the users' hashes and the key's path), the whole file is a secret:
        // written 0600, never stored or shown in plain text.
        var configFile = b.AddFile("nats/nats.conf", config, secret: model.Auth || model.Security,
            validator: FileValidators.NatsConfig, template: templates.PathOf("nats-server.conf.sbn"));
        var tlsFiles = security is null ? [] : DeclareTlsFiles(b, security);
        var data = DeclareData(b);
        spec.Args("-c", "/etc/nats/nats.conf")
            .Port(me.NatsPort, 4222)
            .Port(me.NatsMonitorPort, 8222)
            .BindDir(Path.Combine(b.HostDir, "nats"), "/etc/nats")
            .Volume(b.ContainerName("nats-data"), "/data")
            // A cluster node alone reports 503 on /healthz until a meta leader exists, which needs a majority of
            // the nodes: js-enabled-only lets each machine's stack deploy its node without waiting for the others.
            .Ready($"{endpoints.NatsMonitor(s.Machine)}/healthz{(s.NatsCluster ? "?js-enabled-only=true" : "")}")
            // A restart, not SIGHUP: nats-server 2.9 refuses to reload leafnode and some authorization changes and
            // keeps running the old config. JetStream data is on the volume; clients and the leaf reconnect in ~1 s.
            .ReloadByRestart(RestartHash(s, [config, .. tlsFiles.Select(f => f.Hash)]), configFile);
        if (s.NatsCluster) spec.Port(s.NatsClusterPort, 6222);
        else if (s.IsCentral) spec.Port(s.NatsLeafPort, 7422);
        var dependsOn = new List<Resource> { image, configFile, data };
        dependsOn.AddRange(tlsFiles.Select(f => f.File));
        if (network is not null) dependsOn.Add(network);
        var container = b.Add("nats", spec.Build(), dependsOn, new ResourceOptions { DeleteBeforeReplace = true });
        // tls:// tells a NATS client to require TLS, as the server does once the stack has security material
        var url = security is null ? endpoints.Nats(s.Machine) : endpoints.Nats(s.Machine).Replace("nats://", "tls://");
        b.Output("natsUrl", url);
        foreach (var m in s.ClusterMachines.Where(m => m != s.Machine))
            b.DataPath(container, new DataEndpoint(m, "docker:container", "nats"), "route", "cluster route");
        if (!s.NatsCluster && !s.IsCentral) b.DataPath(container, new DataEndpoint(Machines.MainPc, "docker:container", "nats"), "leafnode", "leafnode");
        if (security is not null)
        {
            b.Output("natsCredentialsUrl", WithCredentials(url, security.Admin.User, security.Admin.Password), secret: true);
            b.Output("natsCaFile", Path.Combine(b.HostDir, "nats", NatsSecurity.CaFileName));
            if (s.NatsPassword is not null)
            {
                b.Warn("resilience:natsPassword is ignored: this stack has its security material, so every NATS client presents its " +
                    "role's user (the operator's is in `stack output --show-secrets`: natsCredentialsUrl) over TLS. Remove natsPassword " +
                    "from the stack file.");
            }
        }
        else if (s.NatsPassword is not null)
            b.Output("natsCredentialsUrl", WithCredentials(endpoints.Nats(s.Machine), s.NatsUser, s.NatsPassword), secret: true);
        b.Output("natsMonitorUrl", endpoints.NatsMonitor(s.Machine));
        b.WatchedOutput("natsTopology", s.NatsTopology,
            "the NATS topology changes: the streams are replaced and their messages and the consumers are not carried over " +
            "(a node that restarts into a cluster does not bring its own streams along). Drain what you need, destroy the " +
            "jetstream resources of every stack (destroy --target), then redeploy every machine with the same setting, " +
            "pc2 and witness before mainpc");
        if (s.NatsTopology == NatsTopologies.TwoNode)
        {
            b.Warn("resilience:natsTopology is two-node: this cluster cannot survive the loss of either node. When MainPC's " +
                "or PC2's nats-server stops, every write to the R2 streams stops (no quorum) until it is back; use leafnode " +
                "(the default) or three-node with a witness machine to keep writing through the loss of a machine.");
        }
        return container;
    }

    /// <summary>The URL with <c>user:password@</c>, both percent-encoded.</summary>
    /// <summary>
    /// A quoted string of nats-server's config syntax. Not JSON: its \uXXXX escapes (System.Text.Json writes one for
    /// '+', '&lt;', '&amp;', '\'' and any non-ASCII character) make nats-server 2.9 refuse the whole file.
    /// </summary>
    public static string ConfLiteral(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    /// <summary>
    /// The change hash of a config file that may hold the NATS password (raw, quoted or percent-encoded). It is stored in
    /// plain state and in a container label, so an unsalted hash of the file would let anyone test password guesses
    /// offline: every form of the password is replaced by its ciphertext (public, and new whenever the password is set)
    /// before hashing.
    /// </summary>
    public static string RestartHash(StackSettings s, string config) => RestartHash(s, [config]);

    /// <summary>
    /// The same over several contents. With the security material every user's password is replaced by its bcrypt hash
    /// (salted, and new with every password), so a changed password still changes the hash.
    /// </summary>
    public static string RestartHash(StackSettings s, IEnumerable<string> contents)
    {
        var masks = new List<(string Password, string Mask)>();
        if (s.NatsPassword is { Length: > 0 } natsPassword) masks.Add((natsPassword, s.NatsPasswordCiphertext ?? "<secret>"));
        if (s.Security is { } security)
            masks.AddRange(security.Users.Values.Concat(security.RetiringUsers.Values).Concat(security.NextUsers.Values).Where(u => u.Password.Length > 0).Select(u => (u.Password, u.PasswordHash)));
        return StackBuilder.Hash(contents.Select(content => Masked(content, masks)));
    }

    private static string Masked(string content, List<(string Password, string Mask)> masks)
    {
        foreach (var (password, mask) in masks)
        {
            var forms = new[] { ConfLiteral(password)[1..^1], Uri.EscapeDataString(password), password }.Distinct().OrderByDescending(f => f.Length);
            foreach (var form in forms) content = content.Replace(form, mask, StringComparison.Ordinal);
        }
        return content;
    }

    /// <summary>
    /// The server's CA bundle and certificate (public, 0644) and its key (a secret: 0600, masked in state), in the
    /// directory mounted at /etc/nats. The hashes are of the public parts: a new key always comes with a new certificate.
    /// </summary>
    private static List<(Resource File, string Hash)> DeclareTlsFiles(StackBuilder b, NatsSecurity security)
    {
        var certificate = security.Certificate;
        return
        [
            (b.AddFile($"nats/{NatsSecurity.CaFileName}", security.CaPem), security.CaPem),
            (b.AddFile($"nats/{NatsSecurity.CertificateFileName}", certificate.CertificatePem), certificate.CertificatePem),
            (b.AddFile($"nats/{NatsSecurity.KeyFileName}", certificate.KeyPem, secret: true), certificate.CertificatePem),
        ];
    }

    public static string WithCredentials(string url, string user, string password)
    {
        var uri = new Uri(url);
        return $"{uri.Scheme}://{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(password)}@{uri.Host}:{uri.Port}";
    }
}
