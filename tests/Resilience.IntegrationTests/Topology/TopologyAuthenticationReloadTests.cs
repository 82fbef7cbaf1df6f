namespace Resilience.IntegrationTests.Topology;

/// <summary>Turning authentication on for a running pair (config set natsPassword --secret, then up).</summary>
[Collection(TopologyCollection.Name)]
public sealed class TopologyAuthenticationReloadTests
{
    [Fact]
    public async Task Setting_a_password_on_a_running_pair_refuses_anonymous_clients_and_keeps_the_leaf()
    {
        // Its own deployment (not a class fixture): it changes the pair's config.
        var stacks = new TopologyStacks();
        try
        {
            await stacks.InitializeAsync();
            await ProveAsync(stacks);
        }
        finally
        {
            await stacks.DisposeAsync();
        }
    }

    private static async Task ProveAsync(TopologyStacks stacks)
    {
        await stacks.EnablePasswordAsync("en4bled-Later-Secret-5d1e");

        foreach (var url in new[] { stacks.MainPcNats, stacks.Pc2Nats })
        {
            await using var anonymous = new NatsConnection(new NatsOpts { Url = url, MaxReconnectRetry = 0 });
            await Assert.ThrowsAnyAsync<NatsException>(async () => await anonymous.ConnectAsync());
        }
        await stacks.WaitForLinkAsync(TimeSpan.FromSeconds(30));
        await using var pc2 = new JetStreamClient(stacks.Pc2Nats, stacks.User, stacks.Password);
        await using var mainpc = new JetStreamClient(stacks.MainPcNats, stacks.User, stacks.Password);
        var acked = await pc2.PublishAsync("observability.metrics.reload", Guid.NewGuid().ToString("N")[..8], 100);
        await mainpc.WaitForCountAsync("observability-metrics", "observability.metrics.reload", acked.Count, TimeSpan.FromSeconds(30));
        var onHub = DeliveryCount.Of(acked, await mainpc.ReadAsync("observability-metrics", "observability.metrics.reload"), sourced: true);
        Assert.True(onHub.Exact, onHub.ToString());
    }
}
