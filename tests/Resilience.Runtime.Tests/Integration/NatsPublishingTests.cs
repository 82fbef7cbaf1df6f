namespace Resilience.Runtime.Tests.Integration;

[Trait("Category", "Integration")]
public sealed class NatsPublishingTests : ServerTest
{
    private static readonly string Address = LoopbackAddresses.For("runtime-nats-publishing");

    [Fact]
    public async Task A_switch_updates_the_machine_kv_entry_and_publishes_a_failover_event()
    {
        using var nats = Servers.Nats(Dir.Path, Address, 19193);
        using var hubA = Servers.Prometheus(Dir.Path, "hub-a", Address, 19190);
        using var hubB = Servers.Prometheus(Dir.Path, "hub-b", Address, 19191);
        await Task.WhenAll(nats.StartAsync(), hubA.StartAsync(), hubB.StartAsync());
        var natsUrl = $"nats://{Address}:19193";
        await using var client = new NatsClient(new NatsOpts { Url = natsUrl });
        await client.ConnectAsync();
        var js = client.CreateJetStreamContext();
        await js.CreateOrUpdateStreamAsync(new StreamConfig("observability-alerts", ["observability.alerts.*"]));
        await using var events = await client.Connection.SubscribeCoreAsync<byte[]>("observability.alerts.failover");

        await using var runtime = await RuntimeUnderTest.StartAsync(RuntimeYaml.ThreeTiers(Address, Dir.Path, natsUrl), Dir.Path);
        await runtime.WaitForAsync(async () => await runtime.MetricAsync("resilience_nats_up") == 1, TimeSpan.FromSeconds(10), "NATS up");
        var kv = await client.CreateKeyValueStoreContext().GetStoreAsync("resilience-failover");
        await WaitForActiveAsync(kv, "local-hub");

        hubA.Kill();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var message = await events.Msgs.ReadAsync(timeout.Token);
        using var doc = JsonDocument.Parse(message.Data!);
        Assert.Equal("pc2", doc.RootElement.GetProperty("machine").GetString());
        Assert.Equal("local-hub", doc.RootElement.GetProperty("from").GetString());
        Assert.Equal("remote-hub", doc.RootElement.GetProperty("to").GetString());
        Assert.Contains("refused", doc.RootElement.GetProperty("reason").GetString());
        Assert.True(doc.RootElement.GetProperty("checkMilliseconds").GetDouble() > 0);
        Assert.StartsWith("pc2-failover-", message.Headers?["Nats-Msg-Id"].ToString());
        await WaitForActiveAsync(kv, "remote-hub");
        var stream = await js.GetStreamAsync("observability-alerts");
        Assert.Equal(1L, (long)stream.Info.State.Messages);

        nats.Kill();
        await runtime.WaitForAsync(async () => await runtime.MetricAsync("resilience_nats_up") == 0, TimeSpan.FromSeconds(10), "NATS down");
    }

    private static async Task WaitForActiveAsync(NATS.Client.KeyValueStore.INatsKVStore kv, string tier)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                var entry = await kv.GetEntryAsync<byte[]>("pc2");
                using var doc = JsonDocument.Parse(entry.Value!);
                if (doc.RootElement.GetProperty("tier").GetString() == tier)
                {
                    Assert.StartsWith("http://", doc.RootElement.GetProperty("url").GetString());
                    return;
                }
            }
            catch (NATS.Client.KeyValueStore.NatsKVKeyNotFoundException)
            {
            }
            Assert.True(DateTime.UtcNow < deadline, $"KV entry pc2 never named {tier}");
            await Task.Delay(100);
        }
    }
}
