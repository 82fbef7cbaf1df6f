using Resilience.Cli.Rendering;
using Resilience.Operations.Status;
using static Resilience.IntegrationTests.Topology.TopologyStacks;

namespace Resilience.IntegrationTests.Topology;

/// <summary>
/// The topology tests: one at a time (two of their fixtures share stack names), beside the other parallel collections
/// (their stacks have names and addresses of their own; a partition is iptables rules on their hub's address only).
/// </summary>
[CollectionDefinition(Name)]
public sealed class TopologyCollection
{
    public const string Name = "topology";
}

/// <summary>
/// The leafnode topology deployed by the engine loses nothing when either machine's NATS is SIGKILLed or the
/// link is silently cut: every message is counted by MsgId/payload and by its Nats-Stream-Source sequence.
/// Each test starts and ends with the link up, so they run in any order.
/// </summary>
[Collection(TopologyCollection.Name)]
public sealed class TopologyFailureTests(TopologyStacks stacks, ITestOutputHelper output) : IClassFixture<TopologyStacks>
{
    private const string Metrics = "observability-metrics";
    private const string AlertsOnEdge = "observability-alerts-central";
    private static readonly TimeSpan CatchUpLimit = TimeSpan.FromSeconds(60);
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Steady_state_every_message_published_on_pc2_is_in_mainpc_exactly_once()
    {
        await stacks.WaitForLinkAsync(TimeSpan.FromSeconds(30));
        await using var pc2 = new JetStreamClient(stacks.Pc2Nats);
        await using var mainpc = new JetStreamClient(stacks.MainPcNats);
        const string subject = "observability.metrics.steady";

        var clock = Stopwatch.StartNew();
        var acked = await pc2.PublishAsync(subject, $"{_run}-steady", 1000);
        var published = clock.Elapsed;
        var arrived = await mainpc.WaitForCountAsync(Metrics, subject, acked.Count, CatchUpLimit);
        await Task.Delay(1000); // a duplicate would arrive right behind the last message

        var onHub = DeliveryCount.Of(acked, await mainpc.ReadAsync(Metrics, subject), sourced: true);
        var onEdge = DeliveryCount.Of(acked, await pc2.ReadAsync(Metrics, subject), sourced: false);
        output.WriteLine($"steady: 1000 acked on pc2 in {published.TotalMilliseconds:0} ms, complete on mainpc {arrived.TotalMilliseconds:0} ms after the last ack");
        output.WriteLine($"  mainpc: {onHub}\n  pc2: {onEdge}");
        Assert.True(onHub.Exact, onHub.ToString());
        Assert.True(onEdge.Exact, onEdge.ToString());

        var status = await stacks.SettledStatusAsync(MainPcStack);
        output.WriteLine(status.ToText());
        Assert.True(status.Healthy, status.ToText());
        var hubMetrics = status.Machines.Single(m => m.Machine == "mainpc").Streams.Single(s => s.Name == Metrics);
        Assert.True(hubMetrics.Messages >= 1000, status.ToText());
        Assert.Equal("pc2", Assert.Single(hubMetrics.Sources).Domain);
    }

    [Fact]
    public async Task Pc2_killed_mainpc_keeps_accepting_and_pc2s_backlog_arrives_once_when_it_is_back()
    {
        await stacks.WaitForLinkAsync(TimeSpan.FromSeconds(30));
        await using var pc2 = new JetStreamClient(stacks.Pc2Nats);
        await using var mainpc = new JetStreamClient(stacks.MainPcNats);
        const string fromEdge = "observability.metrics.edgekill";
        const string onHubLocal = "observability.metrics.edgekill-hub";

        var before = await pc2.PublishAsync(fromEdge, $"{_run}-before", 2000);
        stacks.Kill(Pc2Stack);
        var onHubAtKill = await mainpc.CountAsync(Metrics, fromEdge);

        var duringOutage = await mainpc.PublishAsync(onHubLocal, $"{_run}-hub", 500);
        var status = await stacks.StatusAsync(MainPcStack);
        Assert.False(status.Healthy, status.ToText());
        Assert.False(status.Machines.Single(m => m.Machine == "pc2").Reachable, status.ToText());

        var restarted = Stopwatch.StartNew();
        await stacks.StartAsync(Pc2Stack);
        await pc2.ReadyAsync(TimeSpan.FromSeconds(30));
        var after = await pc2.PublishAsync(fromEdge, $"{_run}-after", 1000);
        var all = before.Concat(after).ToDictionary();
        await mainpc.WaitForCountAsync(Metrics, fromEdge, all.Count, CatchUpLimit);
        var complete = restarted.Elapsed;
        await Task.Delay(1000);

        var onHub = DeliveryCount.Of(all, await mainpc.ReadAsync(Metrics, fromEdge), sourced: true);
        var hubOwn = DeliveryCount.Of(duringOutage, await mainpc.ReadAsync(Metrics, onHubLocal), sourced: false);
        var onEdge = DeliveryCount.Of(all, await pc2.ReadAsync(Metrics, fromEdge), sourced: false);
        output.WriteLine($"pc2 SIGKILL: {onHubAtKill} of 2000 on mainpc at the kill; 500 acked on mainpc during the outage; "
            + $"mainpc complete {complete.TotalSeconds:0.0} s after docker start (incl. 1000 new publishes)");
        output.WriteLine($"  mainpc (from pc2): {onHub}\n  mainpc (own): {hubOwn}\n  pc2: {onEdge}");
        Assert.True(onEdge.Exact, "pc2 lost acked messages to SIGKILL: " + onEdge);
        Assert.True(onHub.Exact, onHub.ToString());
        Assert.True(hubOwn.Exact, hubOwn.ToString());
        await stacks.WaitForLinkAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Mainpc_killed_pc2_keeps_accepting_throughout_and_everything_arrives_when_it_is_back()
    {
        await stacks.WaitForLinkAsync(TimeSpan.FromSeconds(30));
        await using var pc2 = new JetStreamClient(stacks.Pc2Nats);
        await using var mainpc = new JetStreamClient(stacks.MainPcNats);
        const string subject = "observability.metrics.hubkill";
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90)); // bounds the publishers if an assertion ends the test early
        var publishing = pc2.PublishUntilAsync(subject, $"{_run}-hubkill", TimeSpan.FromMilliseconds(2), stop.Token);

        await Task.Delay(1000);
        stacks.Kill(MainPcStack);
        await Task.Delay(5000);
        var status = await stacks.StatusAsync(Pc2Stack);
        Assert.False(status.Healthy, status.ToText());
        Assert.False(status.Machines.Single(m => m.Machine == "mainpc").Reachable, status.ToText());
        var restarted = Stopwatch.StartNew();
        await stacks.StartAsync(MainPcStack);
        await Task.Delay(1000);
        await stop.CancelAsync();
        var published = await publishing;

        Assert.Empty(published.Failures);
        await mainpc.ReadyAsync(TimeSpan.FromSeconds(30));
        await mainpc.WaitForCountAsync(Metrics, subject, published.Acked.Count, CatchUpLimit);
        var complete = restarted.Elapsed;
        await Task.Delay(1000);

        var onHub = DeliveryCount.Of(published.Acked, await mainpc.ReadAsync(Metrics, subject), sourced: true);
        var onEdge = DeliveryCount.Of(published.Acked, await pc2.ReadAsync(Metrics, subject), sourced: false);
        output.WriteLine($"mainpc SIGKILL: pc2 acked {published.Acked.Count}, failed {published.Failures.Count} across the outage; "
            + $"mainpc complete {complete.TotalSeconds:0.0} s after docker start");
        output.WriteLine($"  mainpc: {onHub}\n  pc2: {onEdge}");
        Assert.True(onHub.Exact, onHub.ToString());
        Assert.True(onEdge.Exact, onEdge.ToString());
        await stacks.WaitForLinkAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Partition_both_sides_keep_publishing_and_counts_match_exactly_after_the_link_returns()
    {
        await stacks.WaitForLinkAsync(TimeSpan.FromSeconds(30));
        await using var pc2 = new JetStreamClient(stacks.Pc2Nats);
        await using var mainpc = new JetStreamClient(stacks.MainPcNats);
        const string edgeSubject = "observability.metrics.partition";
        const string hubAlerts = "observability.alerts.partition";
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90)); // bounds the publishers if an assertion ends the test early
        var edgePublishing = pc2.PublishUntilAsync(edgeSubject, $"{_run}-edge", TimeSpan.FromMilliseconds(2), stop.Token);
        var hubPublishing = mainpc.PublishUntilAsync(hubAlerts, $"{_run}-hub", TimeSpan.FromMilliseconds(2), stop.Token);
        await Task.Delay(1000);

        CutDetection detection;
        TimeSpan sinceRestore;
        TopologyReport during;
        using (var partition = new LeafPartition(MainPcAddress, LeafPort))
        {
            partition.Cut();
            detection = await CutDetection.WatchAsync(stacks, mainpc, Metrics, TimeSpan.FromSeconds(60));
            during = await stacks.StatusAsync(Pc2Stack);
            await Task.Delay(2000);
            partition.Restore();
            var restored = Stopwatch.StartNew();
            await Task.Delay(1000);
            await stop.CancelAsync();
            var edgePublished = await edgePublishing;
            var hubPublished = await hubPublishing;
            Assert.Empty(edgePublished.Failures);
            Assert.Empty(hubPublished.Failures);

            await mainpc.WaitForCountAsync(Metrics, edgeSubject, edgePublished.Acked.Count, CatchUpLimit);
            await pc2.WaitForCountAsync(AlertsOnEdge, hubAlerts, hubPublished.Acked.Count, CatchUpLimit);
            sinceRestore = restored.Elapsed;
            await Task.Delay(1000);

            var edgeOnHub = DeliveryCount.Of(edgePublished.Acked, await mainpc.ReadAsync(Metrics, edgeSubject), sourced: true);
            var hubOnEdge = DeliveryCount.Of(hubPublished.Acked, await pc2.ReadAsync(AlertsOnEdge, hubAlerts), sourced: true);
            output.WriteLine($"partition: {detection}; pc2 acked {edgePublished.Acked.Count}, mainpc acked {hubPublished.Acked.Count}, 0 failed; "
                + $"both sides complete {sinceRestore.TotalSeconds:0.0} s after the rules were removed");
            output.WriteLine($"  pc2 -> mainpc metrics: {edgeOnHub}\n  mainpc -> pc2 alerts: {hubOnEdge}");
            Assert.True(edgeOnHub.Exact, edgeOnHub.ToString());
            Assert.True(hubOnEdge.Exact, hubOnEdge.ToString());
        }

        Assert.False(during.Healthy, during.ToText());
        Assert.False(during.Machines.Single(m => m.Machine == "pc2").Leaf.Up, during.ToText());
        var hubSource = during.Machines.Single(m => m.Machine == "mainpc").Streams.Single(s => s.Name == Metrics).Sources.Single();
        Assert.True(hubSource.Stale, during.ToText());
        Assert.True(detection.EdgeLeafDown < TimeSpan.FromSeconds(30), $"a silent cut took {detection.EdgeLeafDown} to notice: the ping settings are not in effect");
        await stacks.WaitForLinkAsync(TimeSpan.FromSeconds(30));
    }
}
