namespace Resilience.IntegrationTests.Topology;

/// <summary>
/// The leaf link's proof, shared by the open, password and secure pairs: PC2 publishes 300 messages that MainPC's
/// stream sources, MainPC publishes 100 alerts that PC2's copy sources; each copy holds every message exactly once
/// (by payload and by the origin's sequence in Nats-Stream-Source).
/// </summary>
public static class CrossLeafDelivery
{
    /// <param name="pc2Subject">A subject of PC2's observability-metrics stream that the PC2 client may publish.</param>
    /// <param name="mainpcSubject">A subject of MainPC's observability-alerts stream that the MainPC client may publish.</param>
    public static Task<(DeliveryCount OnHub, DeliveryCount OnEdge)> ProveAsync(JetStreamClient pc2, string pc2Subject,
        JetStreamClient mainpc, string mainpcSubject, ITestOutputHelper output, string label) =>
        ProveAsync((pc2, pc2), pc2Subject, (mainpc, mainpc), mainpcSubject, output, label);

    /// <summary>The same with a publisher and a reader per machine: a role that may publish may not read the streams.</summary>
    public static async Task<(DeliveryCount OnHub, DeliveryCount OnEdge)> ProveAsync(
        (JetStreamClient Publisher, JetStreamClient Reader) pc2Clients, string pc2Subject,
        (JetStreamClient Publisher, JetStreamClient Reader) mainpcClients, string mainpcSubject, ITestOutputHelper output, string label)
    {
        var (pc2, mainpc) = (pc2Clients.Reader, mainpcClients.Reader);
        var run = Guid.NewGuid().ToString("N")[..8];
        var metrics = await pc2Clients.Publisher.PublishAsync(pc2Subject, $"{run}-metrics", 300);
        var alerts = await mainpcClients.Publisher.PublishAsync(mainpcSubject, $"{run}-alerts", 100);
        await mainpc.WaitForCountAsync("observability-metrics", pc2Subject, metrics.Count, TimeSpan.FromSeconds(30));
        await pc2.WaitForCountAsync("observability-alerts-central", mainpcSubject, alerts.Count, TimeSpan.FromSeconds(30));
        await Task.Delay(1000);

        var metricsOnHub = DeliveryCount.Of(metrics, await mainpc.ReadAsync("observability-metrics", pc2Subject), sourced: true);
        var alertsOnEdge = DeliveryCount.Of(alerts, await pc2.ReadAsync("observability-alerts-central", mainpcSubject), sourced: true);
        output.WriteLine($"{label}: pc2 -> mainpc {metricsOnHub}; mainpc -> pc2 {alertsOnEdge}");
        Assert.True(metricsOnHub.Exact, metricsOnHub.ToString());
        Assert.True(alertsOnEdge.Exact, alertsOnEdge.ToString());
        return (metricsOnHub, alertsOnEdge);
    }
}
