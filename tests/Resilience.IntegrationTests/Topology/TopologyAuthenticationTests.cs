using Resilience.Cli.Rendering;

namespace Resilience.IntegrationTests.Topology;

/// <summary>With resilience:natsPassword set as a secret on both stacks: strangers are refused, the leaf still links.</summary>
[Collection(TopologyCollection.Name)]
public sealed class TopologyAuthenticationTests(AuthenticatedTopologyStacks stacks, ITestOutputHelper output) : IClassFixture<AuthenticatedTopologyStacks>
{
    [Fact]
    public async Task Unauthenticated_clients_are_refused_and_sources_still_deliver_across_the_authenticated_leaf()
    {
        foreach (var url in new[] { stacks.MainPcNats, stacks.Pc2Nats })
        {
            await using var anonymous = new NatsConnection(new NatsOpts { Url = url, MaxReconnectRetry = 0 });
            await Assert.ThrowsAnyAsync<NatsException>(async () => await anonymous.ConnectAsync());
            await using var wrong = new NatsConnection(new NatsOpts { Url = url, MaxReconnectRetry = 0, AuthOpts = new NatsAuthOpts { Username = stacks.User, Password = "not-it" } });
            await Assert.ThrowsAnyAsync<NatsException>(async () => await wrong.ConnectAsync());
        }

        Assert.Equal(1, await TopologyStacks.LeafCountAsync(stacks.Pc2Monitor));
        await using var pc2 = new JetStreamClient(stacks.Pc2Nats, stacks.User, stacks.Password);
        await using var mainpc = new JetStreamClient(stacks.MainPcNats, stacks.User, stacks.Password);
        await CrossLeafDelivery.ProveAsync(pc2, "observability.metrics.auth", mainpc, "observability.alerts.auth", output, "authenticated");

        var status = await stacks.SettledStatusAsync(TopologyStacks.Pc2Stack);
        Assert.True(status.Healthy, status.ToText());
        Assert.DoesNotContain(stacks.Password!, status.ToJson().ToJsonString());
    }
}
