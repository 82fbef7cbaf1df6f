using System.Text;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using NATS.Net;

namespace Resilience.Security.Tests.Integration;

/// <summary>
/// The leaf link between the machines over mutual TLS with its own user and role: the hub's stream sources the edge's
/// and the edge's sources the hub's, every message exactly once, while the link's credentials used as a client
/// cannot publish into the hub's streams or read their subjects; a leaf presenting a certificate of another CA is not
/// linked.
/// </summary>
[Trait("Category", "Integration")]
public sealed class NatsLeafLinkTests(ITestOutputHelper output) : IDisposable
{
    private const int HubPort = 4222;
    private const int LeafPort = 7422;
    private const int EdgePort = 4223;
    private const int MonitorPort = 8222;
    private static readonly string HubAddress = LoopbackAddresses.For("security-leaf-hub");
    private static readonly string EdgeAddress = LoopbackAddresses.For("security-leaf-edge");
    private readonly TlsMaterial _tls = new(HubAddress);
    private readonly Credential _admin = Credential.Generate("admin");
    private readonly Credential _leaf = Credential.Generate("leaf-pc2");
    private readonly List<ServerProcess> _servers = [];

    public void Dispose()
    {
        foreach (var server in _servers) server.Dispose();
        _tls.Dispose();
    }

    private string HubConfig(IReadOnlyList<string>? edgeStreamsSourcedByHub = null)
    {
        var hasher = new BcryptHasher();
        var tls = new NatsTls(_tls.ServerFiles.CertFile, _tls.ServerFiles.KeyFile, _tls.CaFile, VerifyClients: false);
        var leafTls = tls with { VerifyClients = true };
        var users = new NatsAuthorization(
        [
            new NatsUser(_admin.User, hasher.Hash(_admin.Password), NatsRoles.Admin()),
            new NatsUser(_leaf.User, hasher.Hash(_leaf.Password), NatsRoles.LeafLink("mainpc", "pc2", ["observability-health"], edgeStreamsSourcedByHub ?? ["observability-metrics"])),
        ]);
        return $$"""
            server_name: mainpc
            listen: "{{HubAddress}}:{{HubPort}}"
            http: "{{HubAddress}}:{{MonitorPort}}"
            {{tls.Render()}}
            {{users.Render()}}
            jetstream { store_dir: "{{Path.Combine(_tls.Dir, "hub-js")}}", domain: mainpc }
            leafnodes {
              listen: "{{HubAddress}}:{{LeafPort}}"
            {{NatsConf.Indent(leafTls.Render(), 2)}}
            }
            """;
    }

    private string EdgeConfig(PemPaths clientFiles, string caFile) => $$"""
        server_name: pc2
        listen: "{{EdgeAddress}}:{{EdgePort}}"
        jetstream { store_dir: "{{Path.Combine(_tls.Dir, "edge-js")}}", domain: pc2 }
        leafnodes {
          reconnect: 1
          remotes: [
            {
              url: "tls://{{_leaf.User}}:{{_leaf.Password}}@{{HubAddress}}:{{LeafPort}}"
        {{NatsConf.Indent(new NatsTls(clientFiles.CertFile, clientFiles.KeyFile, caFile, VerifyClients: true).Render(), 6)}}
              deny_exports: ["observability.>"]
              deny_imports: ["observability.>"]
            }
          ]
        }
        """;

    private async Task<ServerProcess> StartAsync(string name, string config, string address, int port)
    {
        var check = Path.Combine(_tls.Dir, name + "-check.conf");
        await File.WriteAllTextAsync(check, config);
        var verdict = Tool.Run(NatsServer.Binary, "-t", "-c", check);
        Assert.True(verdict.ExitCode == 0, verdict.ToString());
        var server = Servers.NatsFromConfig(_tls.Dir, name, config, new Uri($"tcp://{address}:{port}"));
        _servers.Add(server);
        await server.StartAsync();
        return server;
    }

    private NatsClient HubClient(Credential credential) => new(new NatsOpts
    {
        Url = $"tls://{HubAddress}:{HubPort}",
        AuthOpts = new NatsAuthOpts { Username = credential.User, Password = credential.Password },
        TlsOpts = new NatsTlsOpts { Mode = TlsMode.Require, CaFile = _tls.CaFile },
        RequestTimeout = TimeSpan.FromSeconds(2),
    });

    private NatsClient EdgeClient() => new(new NatsOpts { Url = $"nats://{EdgeAddress}:{EdgePort}", RequestTimeout = TimeSpan.FromSeconds(5) });

    /// <summary>How many leaf connections the hub's monitor lists (its /leafz).</summary>
    private static async Task<int> LeafCountAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        using var doc = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(new Uri($"http://{HubAddress}:{MonitorPort}/leafz")));
        return doc.RootElement.GetProperty("leafnodes").GetInt32();
    }

    [Fact]
    public async Task Both_directions_source_every_message_once_over_the_mutual_TLS_link_and_its_user_cannot_write_the_hubs_streams()
    {
        await StartAsync("mainpc", HubConfig(), HubAddress, HubPort);
        await StartAsync("pc2", EdgeConfig(_tls.ClientFiles, _tls.CaFile), EdgeAddress, EdgePort);
        await using var hub = HubClient(_admin);
        await using var edge = EdgeClient();
        await Poll.UntilAsync(async () => await LeafCountAsync() == 1, TimeSpan.FromSeconds(20), "the hub to list the edge's TLS leaf connection", () => Task.FromResult(Tail("mainpc")));

        var hubJs = hub.CreateJetStreamContext();
        var edgeJs = edge.CreateJetStreamContext();
        await edgeJs.CreateStreamAsync(new StreamConfig("observability-metrics", ["observability.metrics.*"]));
        await hubJs.CreateStreamAsync(new StreamConfig("observability-health", ["observability.health.mainpc"]));
        await hubJs.CreateStreamAsync(new StreamConfig("observability-metrics", [])
        {
            Sources = [new StreamSource { Name = "observability-metrics", Domain = "pc2" }],
        });
        await edgeJs.CreateStreamAsync(new StreamConfig("observability-health-central", [])
        {
            Sources = [new StreamSource { Name = "observability-health", Domain = "mainpc" }],
        });

        const int count = 200;
        for (var i = 0; i < count; i++)
        {
            (await edgeJs.PublishAsync($"observability.metrics.agent{i % 7}", Encoding.UTF8.GetBytes($"m{i}"))).EnsureSuccess();
            if (i % 4 == 0) (await hubJs.PublishAsync("observability.health.mainpc", Encoding.UTF8.GetBytes($"h{i}"))).EnsureSuccess();
        }
        await Poll.UntilAsync(async () => (await hubJs.GetStreamAsync("observability-metrics")).Info.State.Messages >= count, TimeSpan.FromSeconds(30),
            "the hub's sourced stream to hold the edge's messages", async () => $"hub has {(await hubJs.GetStreamAsync("observability-metrics")).Info.State.Messages}; hub log: {Tail("mainpc")}");
        await Poll.UntilAsync(async () => (await edgeJs.GetStreamAsync("observability-health-central")).Info.State.Messages >= count / 4, TimeSpan.FromSeconds(30),
            "the edge's sourced stream to hold the hub's health events", async () => $"edge has {(await edgeJs.GetStreamAsync("observability-health-central")).Info.State.Messages}; hub log: {Tail("mainpc")}");
        await Task.Delay(500); // a duplicate would arrive right behind the last message
        Assert.Equal(count, (await hubJs.GetStreamAsync("observability-metrics")).Info.State.Messages);
        Assert.Equal(count / 4, (await edgeJs.GetStreamAsync("observability-health-central")).Info.State.Messages);
        foreach (var line in File.ReadLines(Path.Combine(_tls.Dir, "mainpc.log")).Where(l => l.Contains("Violation", StringComparison.Ordinal))) output.WriteLine(line);

        // The link's user as an ordinary client of the hub: no publishing into its streams, no reading its subjects.
        await using var intruder = HubClient(_leaf);
        await intruder.ConnectAsync();
        var intruderJs = intruder.CreateJetStreamContext();
        await Assert.ThrowsAnyAsync<Exception>(async () => (await intruderJs.PublishAsync("observability.health.mainpc", Encoding.UTF8.GetBytes("forged"))).EnsureSuccess());
        await Assert.ThrowsAnyAsync<Exception>(() => intruderJs.DeleteStreamAsync("observability-health").AsTask());
        // Nor through the domain-prefixed API the link itself uses.
        var intruderViaDomain = intruder.CreateJetStreamContext(new NatsJSOpts(intruder.Connection.Opts, domain: "mainpc"));
        await Assert.ThrowsAnyAsync<Exception>(() => intruderViaDomain.DeleteStreamAsync("observability-health").AsTask());
        await Assert.ThrowsAnyAsync<Exception>(async () => await intruderViaDomain.PurgeStreamAsync("observability-health", new StreamPurgeRequest()));
        Assert.Equal(count / 4, (await hubJs.GetStreamAsync("observability-health")).Info.State.Messages);
    }

    /// <summary>Negative control: the hub does apply the link user's permissions, so the role above is what lets the
    /// sourcing through.</summary>
    [Fact]
    public async Task A_link_user_not_allowed_the_edges_stream_delivers_nothing_of_it()
    {
        await StartAsync("mainpc", HubConfig(edgeStreamsSourcedByHub: []), HubAddress, HubPort);
        await StartAsync("pc2", EdgeConfig(_tls.ClientFiles, _tls.CaFile), EdgeAddress, EdgePort);
        await using var hub = HubClient(_admin);
        await using var edge = EdgeClient();
        await Poll.UntilAsync(async () => await LeafCountAsync() == 1, TimeSpan.FromSeconds(20), "the hub to list the edge's TLS leaf connection", () => Task.FromResult(Tail("mainpc")));
        var edgeJs = edge.CreateJetStreamContext();
        var hubJs = hub.CreateJetStreamContext();
        await edgeJs.CreateStreamAsync(new StreamConfig("observability-metrics", ["observability.metrics.*"]));
        await hubJs.CreateStreamAsync(new StreamConfig("observability-metrics", [])
        {
            Sources = [new StreamSource { Name = "observability-metrics", Domain = "pc2" }],
        });
        for (var i = 0; i < 10; i++) (await edgeJs.PublishAsync("observability.metrics.agent1", Encoding.UTF8.GetBytes($"m{i}"))).EnsureSuccess();
        await Task.Delay(5000);
        Assert.Equal(0L, (await hubJs.GetStreamAsync("observability-metrics")).Info.State.Messages);
    }

    [Fact]
    public async Task A_leaf_presenting_a_certificate_of_another_CA_is_not_linked()
    {
        await StartAsync("mainpc", HubConfig(), HubAddress, HubPort);
        using var otherCa = CertificateAuthority.Create("resilience test pair", DateTimeOffset.UtcNow);
        using var stranger = otherCa.Issue(LeafSpec.For("pc2", CertificateUsage.Client, EdgeAddress), DateTimeOffset.UtcNow);
        var strangerFiles = PemFiles.Write(_tls.Dir, "stranger", Pem.Of(stranger));
        await StartAsync("pc2", EdgeConfig(strangerFiles, _tls.CaFile), EdgeAddress, EdgePort);
        // The edge retries every second; none of its attempts becomes a link, and the hub's log names the refusal.
        await Poll.UntilAsync(() => Task.FromResult(File.ReadAllText(Path.Combine(_tls.Dir, "mainpc.log")).Split("TLS leafnode handshake error").Length > 3),
            TimeSpan.FromSeconds(15), "three refused leaf handshakes", () => Task.FromResult(Tail("mainpc")));
        Assert.Equal(0, await LeafCountAsync());
        Assert.Contains("certificate signed by unknown authority", File.ReadAllText(Path.Combine(_tls.Dir, "mainpc.log")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_leaf_with_a_wrong_password_is_not_linked()
    {
        await StartAsync("mainpc", HubConfig(), HubAddress, HubPort);
        var wrong = EdgeConfig(_tls.ClientFiles, _tls.CaFile).Replace(_leaf.Password, Credential.RandomPassword(), StringComparison.Ordinal);
        await StartAsync("pc2", wrong, EdgeAddress, EdgePort);
        await Poll.UntilAsync(() => Task.FromResult(File.ReadAllText(Path.Combine(_tls.Dir, "mainpc.log")).Contains("authentication error - User \"leaf-pc2\"", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(15), "the hub to refuse the leaf's password", () => Task.FromResult(Tail("mainpc")));
        Assert.Equal(0, await LeafCountAsync());
    }

    private string Tail(string name)
    {
        var text = File.ReadAllText(Path.Combine(_tls.Dir, name + ".log"));
        return text[^Math.Min(3000, text.Length)..];
    }
}
