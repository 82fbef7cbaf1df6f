using System.Text;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using NATS.Client.KeyValueStore;
using NATS.Net;

namespace Resilience.Security.Tests.Integration;

/// <summary>
/// A real nats-server 2.9 with the rendered <c>tls</c> and <c>authorization</c> blocks: anonymous, wrong-password,
/// plain-TCP and other-CA clients are refused; an agent and a runtime do what their role needs over JetStream and
/// nothing outside it (publishing as the other machine, reading others' subjects, deleting a stream). Each refusal is
/// read back through the admin user, who sees what the refused client would have changed.
/// </summary>
[Trait("Category", "Integration")]
public sealed class NatsListenerTests : IAsyncLifetime
{
    private const int Port = 4222;
    private static readonly string Address = LoopbackAddresses.For("security-nats");
    private readonly TlsMaterial _tls = new(Address);
    private readonly Credential _admin = Credential.Generate("admin");
    private readonly Credential _agent = Credential.Generate("agent-pc2");
    private readonly Credential _runtime = Credential.Generate("runtime-pc2");
    private ServerProcess? _server;
    private NatsClient? _adminClient;

    private string PidFile => Path.Combine(_tls.Dir, "nats.pid");

    private string Config(params Credential[] agents)
    {
        var hasher = new BcryptHasher();
        var authorization = new NatsAuthorization(
        [
            new NatsUser(_admin.User, hasher.Hash(_admin.Password), NatsRoles.Admin()),
            .. agents.Select(a => new NatsUser(a.User, hasher.Hash(a.Password), NatsRoles.Agent("pc2"))),
            new NatsUser(_runtime.User, hasher.Hash(_runtime.Password), NatsRoles.Runtime("pc2", "observability-health-central", "observability-health-peer", peerDomain: null)),
        ]);
        return $$"""
            server_name: security
            listen: "{{Address}}:{{Port}}"
            pid_file: "{{PidFile}}"
            {{new NatsTls(_tls.ServerFiles.CertFile, _tls.ServerFiles.KeyFile, _tls.CaFile, VerifyClients: false).Render()}}
            {{authorization.Render()}}
            jetstream { store_dir: "{{Path.Combine(_tls.Dir, "js")}}", domain: pc2 }
            """;
    }

    public async Task InitializeAsync()
    {
        var config = Config(_agent);
        var check = Path.Combine(_tls.Dir, "check.conf");
        await File.WriteAllTextAsync(check, config);
        var verdict = Tool.Run(NatsServer.Binary, "-t", "-c", check);
        Assert.True(verdict.ExitCode == 0, verdict.ToString());

        _server = Servers.NatsFromConfig(_tls.Dir, "nats", config, new Uri($"tcp://{Address}:{Port}"));
        await _server.StartAsync();
        _adminClient = await ConnectAsync(_admin);
        var js = _adminClient.CreateJetStreamContext();
        await js.CreateStreamAsync(new StreamConfig("observability-metrics", ["observability.metrics.*"]));
        await js.CreateStreamAsync(new StreamConfig("observability-health", ["observability.health.pc2"]));
        await js.CreateStreamAsync(new StreamConfig("observability-health-central", ["observability.health.mainpc"]));
    }

    public async Task DisposeAsync()
    {
        if (_adminClient is not null) await _adminClient.DisposeAsync();
        _server?.Dispose();
        _tls.Dispose();
    }

    private NatsOpts Options(Credential? credential, string? caFile = null, bool tls = true) => new()
    {
        Url = $"{(tls ? "tls" : "nats")}://{Address}:{Port}",
        AuthOpts = credential is null ? NatsAuthOpts.Default : new NatsAuthOpts { Username = credential.User, Password = credential.Password },
        TlsOpts = tls ? new NatsTlsOpts { Mode = TlsMode.Require, CaFile = caFile ?? _tls.CaFile } : new NatsTlsOpts { Mode = TlsMode.Disable },
        RequestTimeout = TimeSpan.FromSeconds(2),
        MaxReconnectRetry = 0,
    };

    private async Task<NatsClient> ConnectAsync(Credential credential)
    {
        var client = new NatsClient(Options(credential));
        await client.ConnectAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        return client;
    }

    private async Task<Exception> RefusedAsync(NatsOpts options)
    {
        await using var connection = new NatsConnection(options);
        return await Assert.ThrowsAnyAsync<Exception>(() => connection.ConnectAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Anonymous_wrong_password_plain_TCP_and_other_CA_clients_are_refused()
    {
        var anonymous = await RefusedAsync(Options(null));
        Assert.Contains("Authorization Violation", anonymous.ToString(), StringComparison.OrdinalIgnoreCase);
        await RefusedAsync(Options(_agent with { Password = Credential.RandomPassword() }));
        await RefusedAsync(Options(_admin, tls: false));

        using var otherCa = CertificateAuthority.Create("resilience test pair", DateTimeOffset.UtcNow);
        var otherCaFile = PemFiles.WriteCertificate(_tls.Dir, "other-ca", otherCa.ToPem().Certificate);
        await RefusedAsync(Options(_admin, otherCaFile));

        // Positive control: the same options with the right password and CA connect.
        await using var agent = await ConnectAsync(_agent);
        Assert.Equal(NatsConnectionState.Open, agent.Connection.ConnectionState);
    }

    /// <summary>The rotation's NATS half: a second user of the same role added by a reload (SIGHUP), both connect,
    /// then the old one removed by another reload is refused while the new one keeps working.</summary>
    [Fact]
    public async Task A_reload_adds_the_next_generation_user_and_a_second_reload_retires_the_old_one()
    {
        var next = Credential.Generate("agent-pc2-g2");
        await RefusedAsync(Options(next));
        await File.WriteAllTextAsync(Path.Combine(_tls.Dir, "nats.conf"), Config(_agent, next));
        Reload();
        await Poll.UntilAsync(async () => await ConnectsAsync(next), TimeSpan.FromSeconds(10), "the new agent user to be accepted after the reload");
        await using (var old = await ConnectAsync(_agent))
        {
            Assert.Equal(NatsConnectionState.Open, old.Connection.ConnectionState);
        }

        await File.WriteAllTextAsync(Path.Combine(_tls.Dir, "nats.conf"), Config(next));
        Reload();
        await Poll.UntilAsync(async () => !await ConnectsAsync(_agent), TimeSpan.FromSeconds(10), "the old agent user to be refused after the second reload");
        await using var current = await ConnectAsync(next);
        (await current.CreateJetStreamContext().PublishAsync("observability.metrics.pc2", "after rotation")).EnsureSuccess();
    }

    private void Reload()
    {
        var signal = Tool.Run(NatsServer.Binary, "--signal", "reload=" + PidFile);
        Assert.True(signal.ExitCode == 0, signal.ToString());
    }

    private async Task<bool> ConnectsAsync(Credential credential)
    {
        await using var connection = new NatsConnection(Options(credential));
        try
        {
            await connection.ConnectAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            return true;
        }
        catch (Exception e) when (e is NatsException or TimeoutException)
        {
            return false;
        }
    }

    [Fact]
    public async Task An_agent_publishes_its_machines_subjects_with_acks_and_nothing_as_the_other_machine()
    {
        await using var agent = await ConnectAsync(_agent);
        var agentJs = agent.CreateJetStreamContext();
        var ack = await agentJs.PublishAsync("observability.metrics.pc2", Encoding.UTF8.GetBytes("m 1"));
        ack.EnsureSuccess();

        // Core publish as MainPC: the server drops it (permissions violation); the stream does not grow.
        await agent.PublishAsync("observability.metrics.mainpc", Encoding.UTF8.GetBytes("forged"));
        await Assert.ThrowsAnyAsync<Exception>(async () =>
            (await agentJs.PublishAsync("observability.metrics.mainpc", Encoding.UTF8.GetBytes("forged"))).EnsureSuccess());
        await agent.PingAsync();
        var stream = await _adminClient!.CreateJetStreamContext().GetStreamAsync("observability-metrics");
        Assert.Equal(1L, stream.Info.State.Messages);
        Assert.Equal("observability.metrics.pc2", (await stream.GetAsync(new StreamMsgGetRequest { Seq = 1 })).Message.Subject);
    }

    [Fact]
    public async Task An_agent_reads_its_machines_failover_decision_but_cannot_write_it()
    {
        var decisions = await _adminClient!.CreateKeyValueStoreContext().CreateOrUpdateStoreAsync(new NatsKVConfig(NatsRoles.DefaultKvBucket));
        await decisions.PutAsync("pc2", "centralhub");
        await using var agent = await ConnectAsync(_agent);
        var store = await agent.CreateKeyValueStoreContext().GetStoreAsync(NatsRoles.DefaultKvBucket);
        Assert.Equal("centralhub", (await store.GetEntryAsync<string>("pc2")).Value);
        await Assert.ThrowsAnyAsync<Exception>(() => store.PutAsync("pc2", "forged").AsTask());
        Assert.Equal("centralhub", (await decisions.GetEntryAsync<string>("pc2")).Value);
    }

    [Fact]
    public async Task An_agent_cannot_read_other_subjects_while_the_admin_can()
    {
        await using var agent = await ConnectAsync(_agent);
        var agentSeen = 0;
        var adminSeen = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        var agentReads = Task.Run(async () =>
        {
            await foreach (var _ in agent.SubscribeAsync<string>("observability.>", cancellationToken: stop.Token)) Interlocked.Increment(ref agentSeen);
        }, stop.Token);
        var adminReads = Task.Run(async () =>
        {
            await foreach (var _ in _adminClient!.SubscribeAsync<string>("observability.>", cancellationToken: stop.Token)) Interlocked.Increment(ref adminSeen);
        }, stop.Token);
        await Task.Delay(500);
        for (var i = 0; i < 5; i++) await _adminClient!.PublishAsync("observability.alerts.test", $"alert {i}");
        await Poll.UntilAsync(() => Task.FromResult(Volatile.Read(ref adminSeen) == 5), TimeSpan.FromSeconds(2), "the admin's subscriber to see the 5 alerts");
        await Task.Delay(500);
        Assert.Equal(0, Volatile.Read(ref agentSeen));
        await stop.CancelAsync();
        await Task.WhenAll(agentReads.ContinueWith(_ => { }), adminReads.ContinueWith(_ => { }));
    }

    [Fact]
    public async Task A_runtime_keeps_its_health_decision_and_peer_consumer_but_cannot_speak_for_mainpc_or_drop_a_stream()
    {
        await _adminClient!.CreateJetStreamContext().PublishAsync("observability.health.mainpc", "mainpc event");
        await using var runtime = await ConnectAsync(_runtime);
        var js = runtime.CreateJetStreamContext();
        (await js.PublishAsync("observability.health.pc2", "pc2 event")).EnsureSuccess();

        var kv = runtime.CreateKeyValueStoreContext();
        var store = await kv.CreateOrUpdateStoreAsync(new NatsKVConfig(NatsRoles.DefaultKvBucket) { History = 10 });
        await store.PutAsync("pc2", "edgehub");
        Assert.Equal("edgehub", (await store.GetEntryAsync<string>("pc2")).Value);
        await Assert.ThrowsAnyAsync<Exception>(() => store.PutAsync("mainpc", "forged").AsTask());

        var consumer = await js.CreateOrUpdateConsumerAsync("observability-health-central",
            new ConsumerConfig("observability-health-peer") { AckPolicy = ConsumerConfigAckPolicy.Explicit });
        var received = new List<string>();
        await foreach (var message in consumer.FetchAsync<string>(new NatsJSFetchOpts { MaxMsgs = 1, Expires = TimeSpan.FromSeconds(2) }))
        {
            received.Add(message.Data!);
            await message.AckAsync();
        }
        Assert.Equal(["mainpc event"], received);

        await Assert.ThrowsAnyAsync<Exception>(() => js.DeleteStreamAsync("observability-metrics").AsTask());
        await Assert.ThrowsAnyAsync<Exception>(async () => (await js.PublishAsync("observability.health.mainpc", "forged")).EnsureSuccess());

        var admin = _adminClient!.CreateJetStreamContext();
        Assert.NotNull(await admin.GetStreamAsync("observability-metrics"));
        Assert.Equal(1L, (await admin.GetStreamAsync("observability-health-central")).Info.State.Messages);
        var adminKv = await _adminClient!.CreateKeyValueStoreContext().GetStoreAsync(NatsRoles.DefaultKvBucket);
        await Assert.ThrowsAsync<NatsKVKeyNotFoundException>(() => adminKv.GetEntryAsync<string>("mainpc").AsTask());
    }
}
