using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using NATS.Net;
using Resilience.Cli.Rendering;
using Resilience.Security.Certificates;
using Resilience.Stack.Config;

namespace Resilience.IntegrationTests.Topology;

/// <summary>The same two stacks with the pair's security material made by `security init` before the first `up`.</summary>
public sealed class SecureTopologyStacks() : TopologyStacks(password: null, secure: true)
{
    public SecuritySettings Security(string stack) =>
        Settings(stack).Security ?? throw new InvalidOperationException($"{stack} read back without its security material");

    /// <summary>A client of <paramref name="stack"/>'s server as <paramref name="role"/>, over TLS trusting the pair's CA.</summary>
    public JetStreamClient Client(string stack, string role)
    {
        var security = Security(stack);
        var user = security.User(role);
        return new JetStreamClient(stack == MainPcStack ? MainPcNats : Pc2Nats, user.User, user.Password, security.CaCertificatesPem);
    }
}

/// <summary>
/// The leafnode pair with its security material: every NATS listener refuses anonymous, plain-TCP and other-CA
/// clients; each role publishes only its subjects; the TLS leaf link with its own user still sources every message
/// exactly once in both directions; the operator's status reads both machines over TLS as the admin.
/// </summary>
[Collection(TopologyCollection.Name)]
[Trait("Category", "Integration")]
public sealed class SecureTopologyTests(SecureTopologyStacks stacks, ITestOutputHelper output) : IClassFixture<SecureTopologyStacks>
{
    private static readonly TimeSpan Refusal = TimeSpan.FromSeconds(10);

    private NatsOpts Options(string url, UserCredential? user, string? caPem, TlsMode mode = TlsMode.Require) => new()
    {
        Url = url,
        MaxReconnectRetry = 0,
        RequestTimeout = TimeSpan.FromSeconds(2),
        AuthOpts = user is null ? NatsAuthOpts.Default : new NatsAuthOpts { Username = user.User, Password = user.Password },
        TlsOpts = caPem is null ? new NatsTlsOpts { Mode = mode } : PairTls.Trusting(caPem),
    };

    private static async Task<string> RefusedAsync(NatsOpts options)
    {
        await using var connection = new NatsConnection(options);
        var e = await Assert.ThrowsAnyAsync<Exception>(() => connection.ConnectAsync().AsTask().WaitAsync(Refusal));
        return Flatten(e);
    }

    private static string Flatten(Exception e) => e.InnerException is null ? $"{e.GetType().Name}: {e.Message}" : $"{e.GetType().Name}: {e.Message} <- {Flatten(e.InnerException)}";

    [Fact]
    public async Task Client_ports_refuse_anonymous_wrong_password_plain_and_other_CA_clients()
    {
        var security = stacks.Security(TopologyStacks.Pc2Stack);
        var admin = security.User(SecurityRoles.NatsAdmin);
        using var otherCa = CertificateAuthority.Create("another pair", DateTimeOffset.UtcNow);
        var otherCaPem = otherCa.ToPem().Certificate;
        foreach (var (url, address, port) in new[] { (stacks.MainPcNats, TopologyStacks.MainPcAddress, 4222), (stacks.Pc2Nats, TopologyStacks.Pc2Address, 4223) })
        {
            var raw = await PlainAnswerAsync(address, port);
            output.WriteLine($"{url} plain TCP: {raw}");
            // nats-server 2.9 answers a plain CONNECT by closing the connection: no +OK, no PONG.
            Assert.Contains("\"tls_required\":true", raw);
            Assert.DoesNotContain("+OK", raw);
            Assert.DoesNotContain("PONG", raw);

            var anonymous = await RefusedAsync(Options(url, null, security.CaCertificatesPem));
            output.WriteLine($"{url} anonymous over TLS: {anonymous}");
            Assert.Contains("Authorization Violation", anonymous, StringComparison.OrdinalIgnoreCase);
            var wrong = await RefusedAsync(Options(url, admin with { Password = "not-" + admin.Password }, security.CaCertificatesPem));
            output.WriteLine($"{url} wrong password: {wrong}");
            Assert.Contains("Authorization Violation", wrong, StringComparison.OrdinalIgnoreCase);
            var plain = await RefusedAsync(Options(url, admin, null, TlsMode.Disable));
            output.WriteLine($"{url} admin without TLS: {plain}");
            var foreign = await RefusedAsync(Options(url, admin, otherCaPem));
            output.WriteLine($"{url} admin trusting another CA: {foreign}");
            Assert.DoesNotContain("Authorization Violation", foreign, StringComparison.OrdinalIgnoreCase);

            // Positive control: the same options with the pair's CA and the right password connect.
            await using var connection = new NatsConnection(Options(url, admin, security.CaCertificatesPem));
            await connection.ConnectAsync().AsTask().WaitAsync(Refusal);
            Assert.Equal(NatsConnectionState.Open, connection.ConnectionState);
        }
    }

    [Fact]
    public async Task The_leafnode_port_refuses_plain_TCP_and_a_TLS_peer_without_a_certificate_of_the_CA()
    {
        var raw = await PlainAnswerAsync(TopologyStacks.MainPcAddress, TopologyStacks.LeafPort);
        output.WriteLine($"leafnode {TopologyStacks.MainPcAddress}:{TopologyStacks.LeafPort} plain TCP: {raw}");
        Assert.Contains("\"tls_required\":true", raw);
        Assert.DoesNotContain("+OK", raw);
        Assert.DoesNotContain("PONG", raw);

        var ca = X509Certificate2.CreateFromPem(stacks.Security(TopologyStacks.MainPcStack).CaCertificatesPem);
        var noCertificate = await TlsWithoutClientCertificateAsync(TopologyStacks.MainPcAddress, TopologyStacks.LeafPort, ca);
        output.WriteLine($"leafnode TLS without a client certificate: {noCertificate}");
        Assert.StartsWith("refused", noCertificate);
        Assert.Equal(1, await TopologyStacks.LeafCountAsync(stacks.MainPcMonitor));
    }

    [Fact]
    public async Task Each_role_publishes_only_its_subjects()
    {
        await using var admin = stacks.Client(TopologyStacks.Pc2Stack, SecurityRoles.NatsAdmin);
        await using var agent = stacks.Client(TopologyStacks.Pc2Stack, SecurityRoles.NatsAgent(Machines.Pc2));
        await using var runtime = stacks.Client(TopologyStacks.Pc2Stack, SecurityRoles.NatsRuntime(Machines.Pc2));
        var run = Guid.NewGuid().ToString("N")[..8];

        // Positive controls: each role's own subject is stored.
        Assert.Single(await agent.PublishAsync("observability.health.pc2", $"{run}-agent", 1));
        Assert.Single(await runtime.PublishAsync("observability.health.pc2", $"{run}-runtime", 1));

        foreach (var (client, subject, who) in new[]
        {
            (agent, "observability.metrics.mainpc", "pc2 agent as mainpc"),
            (agent, "observability.alerts.failover", "pc2 agent on the failover subject"),
            (runtime, "observability.health.mainpc", "pc2 runtime as mainpc"),
            (runtime, "observability.metrics.pc2", "pc2 runtime on agents' metrics"),
        })
        {
            var before = await admin.CountAsync(StreamOf(subject), subject);
            var denied = await Assert.ThrowsAnyAsync<NatsException>(() => client.PublishAsync(subject, $"{run}-denied", 1));
            await Task.Delay(300);
            var after = await admin.CountAsync(StreamOf(subject), subject);
            output.WriteLine($"{who} ({subject}): {denied.GetType().Name}; stored {before} -> {after}");
            Assert.Equal(before, after);
        }

        // The leaf link's user, presented as a plain client to the hub, cannot write into the hub's streams.
        await using var hubAdmin = stacks.Client(TopologyStacks.MainPcStack, SecurityRoles.NatsAdmin);
        await using var leafAsClient = stacks.Client(TopologyStacks.MainPcStack, SecurityRoles.NatsLeaf);
        var alertsBefore = await hubAdmin.CountAsync("observability-alerts", "observability.alerts.failover");
        await Assert.ThrowsAnyAsync<NatsException>(() => leafAsClient.PublishAsync("observability.alerts.failover", $"{run}-leaf", 1));
        Assert.Equal(alertsBefore, await hubAdmin.CountAsync("observability-alerts", "observability.alerts.failover"));
    }

    [Fact]
    public async Task Sources_deliver_every_message_once_across_the_TLS_leaf_and_status_reads_both_machines_as_the_admin()
    {
        await stacks.WaitForLinkAsync(TimeSpan.FromSeconds(30));
        // The machines' own roles publish: PC2's agents their metrics, MainPC's runtime its failover events.
        await using var pc2 = stacks.Client(TopologyStacks.Pc2Stack, SecurityRoles.NatsAgent(Machines.Pc2));
        await using var mainpc = stacks.Client(TopologyStacks.MainPcStack, SecurityRoles.NatsRuntime(Machines.MainPc));
        // Reading back needs the admin: neither role may read a stream.
        await using var pc2Admin = stacks.Client(TopologyStacks.Pc2Stack, SecurityRoles.NatsAdmin);
        await using var mainpcAdmin = stacks.Client(TopologyStacks.MainPcStack, SecurityRoles.NatsAdmin);
        await CrossLeafDelivery.ProveAsync((pc2, pc2Admin), "observability.metrics.pc2",
            (mainpc, mainpcAdmin), "observability.alerts.failover", output, "secure");

        var status = await stacks.SettledStatusAsync(TopologyStacks.Pc2Stack);
        Assert.True(status.Healthy, status.ToText());
        Assert.All(status.Machines, m => Assert.StartsWith("tls://", m.NatsUrl, StringComparison.Ordinal));
        var json = status.ToJson().ToJsonString();
        foreach (var user in stacks.Security(TopologyStacks.Pc2Stack).Users.Values) Assert.DoesNotContain(user.Password, json);
    }

    private static string StreamOf(string subject) => subject.Split('.')[1] switch
    {
        "metrics" => "observability-metrics",
        "health" => "observability-health",
        _ => "observability-alerts",
    };

    /// <summary>What a listener answers a client that speaks plain NATS: its INFO line, then its reply to CONNECT + PING.</summary>
    private static async Task<string> PlainAnswerAsync(string address, int port)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address, port).WaitAsync(Refusal);
        var stream = tcp.GetStream();
        stream.ReadTimeout = 3000;
        var answer = new StringBuilder();
        var buffer = new byte[4096];
        var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(Refusal);
        answer.Append(Encoding.ASCII.GetString(buffer, 0, read).Trim());
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes("CONNECT {\"verbose\":true}\r\nPING\r\n"));
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            while ((read = await stream.ReadAsync(buffer, wait.Token)) > 0) answer.Append(" | ").Append(Encoding.ASCII.GetString(buffer, 0, read).Trim());
            answer.Append(" | closed");
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
        {
            answer.Append(" | ").Append(e.GetType().Name);
        }
        return answer.ToString();
    }

    /// <summary>A TLS handshake that trusts the pair's CA but shows no certificate: "refused: ..." or "accepted".</summary>
    private static async Task<string> TlsWithoutClientCertificateAsync(string address, int port, X509Certificate2 ca)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address, port).WaitAsync(Refusal);
        var stream = tcp.GetStream();
        var buffer = new byte[4096];
        await stream.ReadAsync(buffer).AsTask().WaitAsync(Refusal); // the INFO line comes before the handshake in 2.9
        await using var tls = new SslStream(stream, false, (_, certificate, chain, _) =>
        {
            chain!.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(new X509Certificate2(certificate!));
        });
        try
        {
            await tls.AuthenticateAsClientAsync(address).WaitAsync(Refusal);
            await tls.WriteAsync(Encoding.ASCII.GetBytes("CONNECT {}\r\nPING\r\n"));
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            var read = await tls.ReadAsync(buffer, wait.Token);
            return read == 0 ? "refused: closed after the handshake" : $"accepted: {Encoding.ASCII.GetString(buffer, 0, read).Trim()}";
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
        {
            return $"refused: {Flatten(e)}";
        }
    }
}
