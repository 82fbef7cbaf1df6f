namespace Resilience.Runtime.Tests.Integration;

/// <summary>The peer health durable survives its server coming back without it (a wiped store).</summary>
[Trait("Category", "Integration")]
public sealed class PeerConsumerRecoveryTests : ServerTest
{
    private static readonly string Address = LoopbackAddresses.For("runtime-peer-consumer");

    [Fact]
    public async Task After_a_restart_that_lost_the_consumer_the_runtime_creates_it_again_and_reads_on()
    {
        var store = Path.Combine(Dir.Path, "js");
        using var nats = Servers.NatsFromConfig(Dir.Path, "nats-peer", $$"""
            listen: {{Address}}:19310
            http: {{Address}}:19318
            jetstream { store_dir: "{{store}}" }
            """, Address, 19318);
        await nats.StartAsync();
        await CreateStreamAsync();
        await using var runtime = await RuntimeUnderTest.StartAsync($$"""
            machine: pc2
            listen: http://{{Address}}:19311
            tiers:
              - { name: local-hub, kind: hub, url: "http://{{Address}}:19312" }
            buffer: { path: "{{Dir.Path}}/buffer.log", maxBytes: 1048576, fsync: never }
            peer: { machine: mainpc, hubUrl: "http://{{Address}}:19313" }
            nats:
              url: "nats://{{Address}}:19310"
              healthSubjectPrefix: observability.health
              peerHealthStream: observability-health
              peerHealthConsumer: observability-health-peer
            """, Dir.Path);

        var t0 = DateTimeOffset.UtcNow;
        await PublishPeerEventAsync("up", t0);
        await runtime.WaitForAsync(async () => await PeerStatusAsync(runtime) == "up", TimeSpan.FromSeconds(15), "the peer's first event in the view");

        // The server comes back with an empty store: the stream is declared again (as the stack would), the consumer not.
        nats.Kill();
        Directory.Delete(store, recursive: true);
        await nats.StartAsync();
        await CreateStreamAsync();
        await PublishPeerEventAsync("down", t0.AddSeconds(1));
        await runtime.WaitForAsync(async () => await PeerStatusAsync(runtime) == "down", TimeSpan.FromSeconds(20), "the peer's event after the restart");
        // The durable exists on the wiped server again: the runtime created it (whether the reconnect ended its round or
        // the old consume failed first, which of the two is a race), and it has delivered the event after the restart.
        await using var client = new NatsClient($"nats://{Address}:19310");
        var consumer = await client.CreateJetStreamContext().GetConsumerAsync("observability-health", "observability-health-peer");
        Assert.True(consumer.Info.Delivered.StreamSeq >= 1, $"the recreated consumer delivered nothing: {consumer.Info.Delivered.StreamSeq}");
    }

    private static async Task CreateStreamAsync()
    {
        await using var client = new NatsClient($"nats://{Address}:19310");
        await client.CreateJetStreamContext().CreateOrUpdateStreamAsync(new StreamConfig("observability-health", ["observability.health.*"]));
    }

    private static async Task PublishPeerEventAsync(string status, DateTimeOffset at)
    {
        await using var client = new NatsClient($"nats://{Address}:19310");
        var data = JsonSerializer.SerializeToUtf8Bytes(new { machine = "mainpc", agent = "agent-m", status, at, responseMs = 1.0 });
        var ack = await client.CreateJetStreamContext().PublishAsync("observability.health.mainpc", data);
        ack.EnsureSuccess();
    }

    private static async Task<string?> PeerStatusAsync(RuntimeUnderTest runtime)
    {
        using var health = JsonDocument.Parse(await runtime.Http.GetStringAsync("/health"));
        return health.RootElement.GetProperty("agents").EnumerateArray()
            .Where(a => a.GetProperty("machine").GetString() == "mainpc").Select(a => a.GetProperty("status").GetString()).FirstOrDefault();
    }
}
