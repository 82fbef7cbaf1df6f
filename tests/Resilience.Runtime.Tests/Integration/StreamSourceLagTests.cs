namespace Resilience.Runtime.Tests.Integration;

/// <summary>
/// The runtime's account of the stream that copies the peer's health events across the leafnode (what the dashboard's
/// NATS column shows): caught up while the link holds, and its last contact growing old while the machines are cut apart.
/// </summary>
[Trait("Category", "Integration")]
public sealed class StreamSourceLagTests(ITestOutputHelper output) : ServerTest
{
    private static readonly string MainAddress = LoopbackAddresses.For("runtime-stream-lag-mainpc");
    private static readonly string Pc2Address = LoopbackAddresses.For("runtime-stream-lag-pc2");

    [Fact]
    public async Task Each_runtime_exports_its_peer_stream_source_lag_and_last_contact_from_jetstream()
    {
        await using var m = await TwoMachines.StartAsync(MainAddress, Pc2Address, Dir.Path);
        string Series(RuntimeUnderTest rt, string metric) =>
            $"{metric}{{stream=\"{rt.Config.Nats!.PeerHealthStream}\",source=\"observability-health\"}}";

        foreach (var rt in new[] { m.Main, m.Pc2 })
        {
            await rt.WaitForAsync(async () => await TryMetricAsync(rt, Series(rt, "resilience_stream_source_active_seconds")) is < 5
                && await TryMetricAsync(rt, Series(rt, "resilience_stream_source_lag")) == 0, TimeSpan.FromSeconds(30), "the peer stream's source caught up");
        }

        m.Partition.Cut();
        // The leaf's pings (2 s x 2) drop the link; the source's last contact then only grows.
        await m.Main.WaitForAsync(async () => await TryMetricAsync(m.Main, Series(m.Main, "resilience_stream_source_active_seconds")) is > 8,
            TimeSpan.FromSeconds(30), "the source's last contact to age during the cut");
        output.WriteLine($"10 s+ into the cut, mainpc: {Series(m.Main, "resilience_stream_source_active_seconds")} = {await TryMetricAsync(m.Main, Series(m.Main, "resilience_stream_source_active_seconds"))}");

        m.Partition.Heal();
        await m.Main.WaitForAsync(async () => await TryMetricAsync(m.Main, Series(m.Main, "resilience_stream_source_active_seconds")) is < 5,
            TimeSpan.FromSeconds(60), "the source's contact to come back after the heal");
    }

    /// <summary>The series' value, or null while /metrics does not carry it (stream not read yet).</summary>
    private static async Task<double?> TryMetricAsync(RuntimeUnderTest rt, string series)
    {
        try
        {
            return await rt.MetricAsync(series);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
