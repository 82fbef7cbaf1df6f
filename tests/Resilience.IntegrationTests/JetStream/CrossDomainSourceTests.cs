using Resilience.Providers.JetStream;

namespace Resilience.IntegrationTests.JetStream;

/// <summary>The production shape from NATS.md: a hub and an edge, each its own JetStream domain, joined by a leafnode.</summary>
[Collection(NatsServerCollection.Name)]
public sealed class CrossDomainSourceTests : IDisposable
{
    private static readonly string HubAddress = LoopbackAddresses.For("cross-domain-hub");

    private readonly NatsServer _hub = NatsServer.Start("hub", HubAddress, 14222, "hub", $$"""
        leafnodes { listen: "{{HubAddress}}:14230" }
        """);

    private readonly NatsServer _edge = NatsServer.Start("edge", LoopbackAddresses.For("cross-domain-edge"), 14223, "edge", $$"""
        leafnodes {
          reconnect: 1
          remotes: [ { url: "nats-leaf://{{HubAddress}}:14230", deny_exports: ["observability.>"], deny_imports: ["observability.>"] } ]
        }
        """);

    private readonly JetStreamProvider _provider = new();

    public void Dispose()
    {
        _edge.Dispose();
        _hub.Dispose();
    }

    [Fact]
    public async Task A_hub_stream_sourcing_the_edge_domain_receives_every_message_once()
    {
        var edgeStream = Desired(new JsonObject
        {
            ["server"] = _edge.Url,
            ["domain"] = "edge",
            ["name"] = "observability-metrics",
            ["subjects"] = new JsonArray("observability.metrics.*"),
            ["maxAge"] = "24h",
        });
        var hubStream = Desired(new JsonObject
        {
            ["server"] = _hub.Url,
            ["domain"] = "hub",
            ["name"] = "observability-metrics",
            ["subjects"] = new JsonArray(),
            ["maxAge"] = "24h",
            ["sources"] = new JsonArray(new JsonObject { ["name"] = "observability-metrics", ["domain"] = "edge", ["filterSubject"] = null }),
        });
        Assert.Empty(_provider.Check(edgeStream).Failures);
        Assert.Empty(_provider.Check(hubStream).Failures);
        await _provider.CreateAsync(edgeStream, CancellationToken.None);
        await _provider.CreateAsync(hubStream, CancellationToken.None);

        await using (var edge = new NatsConnection(new NatsOpts { Url = _edge.Url }))
        {
            var js = new NatsJSContext(edge);
            for (var i = 0; i < 100; i++) (await js.PublishAsync($"observability.metrics.agent{i % 7}", i)).EnsureSuccess();
        }

        await using var hub = new NatsConnection(new NatsOpts { Url = _hub.Url });
        var hubJs = new NatsJSContext(hub);
        var wait = Stopwatch.StartNew();
        long messages = 0;
        while (wait.Elapsed < TimeSpan.FromSeconds(30))
        {
            messages = (await hubJs.GetStreamAsync("observability-metrics")).Info.State.Messages;
            if (messages >= 100) break;
            await Task.Delay(100);
        }
        await Task.Delay(500); // a duplicate would arrive right behind the last message
        Assert.Equal(100L, (await hubJs.GetStreamAsync("observability-metrics")).Info.State.Messages);

        // The server keeps the source's domain as "$JS.edge.API": it must still read back as the input we gave.
        var state = new ResourceState { Urn = hubStream.Urn, Type = hubStream.Type, Name = hubStream.Name, Inputs = hubStream.Inputs };
        var read = await _provider.ReadAsync(state, CancellationToken.None);
        Assert.True(JsonNode.DeepEquals(hubStream.Inputs, read!.Inputs), read.Inputs.ToJsonString());
    }

    private static Resource Desired(JsonObject inputs) => new()
    {
        Stack = inputs["domain"]!.GetValue<string>(),
        Type = JetStreamOperations.StreamType,
        Name = "observability-metrics",
        Inputs = inputs,
    };
}
