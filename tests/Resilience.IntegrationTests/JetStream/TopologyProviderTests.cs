using Resilience.Providers.JetStream;

namespace Resilience.IntegrationTests.JetStream;

/// <summary>
/// What the topologies ask of the jetstream provider, on real nats-server 2.9 processes (each on its own loopback address): a
/// cross-domain source filtered to one subject, and a clustered stream that the cluster has too few servers for.
/// </summary>
[Collection(NatsServerCollection.Name)]
public sealed class TopologyProviderTests
{
    private readonly JetStreamProvider _provider = new();

    [Fact]
    public async Task A_filtered_cross_domain_source_carries_only_its_subject_and_reads_back_as_given()
    {
        var hubAddress = LoopbackAddresses.For("topology-provider-hub");
        using var hub = NatsServer.Start("hub", hubAddress, 14222, "mainpc", $$"""leafnodes { listen: "{{hubAddress}}:14230" }""");
        using var edge = NatsServer.Start("edge", LoopbackAddresses.For("topology-provider-edge"), 14223, "pc2", $$"""
            leafnodes {
              reconnect: 1
              remotes: [ { url: "nats-leaf://{{hubAddress}}:14230", deny_exports: ["observability.>"], deny_imports: ["observability.>"] } ]
            }
            """);
        var hubHealth = Stream(hub.Url, "mainpc", "observability-health", new JsonArray("observability.health.*"), null);
        var edgeCopy = Stream(edge.Url, "pc2", "observability-health-central", new JsonArray(),
            new JsonArray(new JsonObject { ["name"] = "observability-health", ["domain"] = "mainpc", ["filterSubject"] = "observability.health.mainpc" }));
        Assert.Empty(_provider.Check(hubHealth).Failures);
        Assert.Empty(_provider.Check(edgeCopy).Failures);
        await _provider.CreateAsync(hubHealth, CancellationToken.None);
        await _provider.CreateAsync(edgeCopy, CancellationToken.None);

        await using (var nats = new NatsConnection(new NatsOpts { Url = hub.Url }))
        {
            var js = new NatsJSContext(nats);
            for (var i = 0; i < 50; i++)
            {
                (await js.PublishAsync("observability.health.mainpc", i)).EnsureSuccess();
                (await js.PublishAsync("observability.health.pc2", i)).EnsureSuccess();
            }
        }

        await using var edgeNats = new NatsConnection(new NatsOpts { Url = edge.Url });
        var edgeJs = new NatsJSContext(edgeNats);
        var wait = Stopwatch.StartNew();
        while (wait.Elapsed < TimeSpan.FromSeconds(30) && (await edgeJs.GetStreamAsync("observability-health-central")).Info.State.Messages < 50)
            await Task.Delay(100);
        await Task.Delay(500); // anything unfiltered would arrive right behind
        var state = (await edgeJs.GetStreamAsync("observability-health-central",
            new NATS.Client.JetStream.Models.StreamInfoRequest { SubjectsFilter = ">" })).Info.State;
        Assert.Equal(50L, state.Messages);
        Assert.Equal(["observability.health.mainpc"], state.Subjects!.Keys.ToList());

        var recorded = new ResourceState { Urn = edgeCopy.Urn, Type = edgeCopy.Type, Name = edgeCopy.Name, Inputs = edgeCopy.Inputs };
        var read = await _provider.ReadAsync(recorded, CancellationToken.None);
        Assert.True(JsonNode.DeepEquals(edgeCopy.Inputs, read!.Inputs), read.Inputs.ToJsonString());
    }

    [Fact]
    public async Task An_R3_stream_on_a_cluster_with_two_of_three_servers_up_is_refused_with_a_plain_reason()
    {
        using var a = ClusterNode("a");
        using var b = ClusterNode("b");
        var stream = Stream(a.Url, null, "observability-metrics", new JsonArray("observability.metrics.*"), null, replicas: 3);
        var clock = Stopwatch.StartNew();
        JetStreamException? refused = null;
        while (refused is null && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                await _provider.CreateAsync(stream, CancellationToken.None);
                Assert.Fail("an R3 stream was created on a cluster of two servers");
            }
            catch (JetStreamException e) when (e.TimedOut)
            {
                await Task.Delay(500); // the two nodes are still electing their meta leader
            }
            catch (JetStreamException e)
            {
                refused = e;
            }
        }
        Assert.NotNull(refused);
        Assert.Contains("needs 3 servers", refused.Message);
        Assert.Contains("Deploy the stacks of the cluster's other machines first", refused.Message);
        Assert.Equal(10005, refused.ErrorCode); // 2.9.10: "no suitable peers for placement"
    }

    [Fact]
    public async Task An_R3_stream_on_a_lone_cluster_node_fails_once_the_election_grace_is_over_saying_a_majority_is_needed()
    {
        using var a = ClusterNode("a");
        var stream = Stream(a.Url, null, "observability-metrics", new JsonArray("observability.metrics.*"), null, replicas: 3);
        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<JetStreamException>(() => _provider.CreateAsync(stream, CancellationToken.None));
        // The provider repeats unanswered requests for 20 s (a cluster electing its meta leader answers nothing), then stops.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(45), $"took {clock.Elapsed}");
        Assert.True(e.Message.Contains("majority of the cluster's servers", StringComparison.Ordinal), e.Message);
    }

    /// <summary>One node (a, b or c) of a three-node cluster (c never starts in these tests).</summary>
    private static NatsServer ClusterNode(string name) => NatsServer.Start(name, NodeAddress(name), 14222, domain: null, $$"""
        cluster {
          name: it-topo
          listen: "{{NodeAddress(name)}}:16222"
          routes: [ "nats-route://{{NodeAddress("a")}}:16222", "nats-route://{{NodeAddress("b")}}:16222", "nats-route://{{NodeAddress("c")}}:16222" ]
        }
        """);

    private static string NodeAddress(string name) => LoopbackAddresses.For("topology-provider-node-" + name);

    private static Resource Stream(string server, string? domain, string name, JsonArray subjects, JsonArray? sources, int replicas = 1)
    {
        var inputs = new JsonObject
        {
            ["server"] = server,
            ["domain"] = domain,
            ["name"] = name,
            ["subjects"] = subjects,
            ["maxAge"] = "24h",
            ["replicas"] = replicas,
        };
        if (sources is not null) inputs["sources"] = sources;
        return new Resource { Stack = domain ?? "cluster", Type = JetStreamOperations.StreamType, Name = name, Inputs = inputs };
    }
}
