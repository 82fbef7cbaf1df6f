namespace Resilience.Runtime.Tests.Integration;

[Trait("Category", "Integration")]
public sealed class FlappingHubTests(ITestOutputHelper output) : ServerTest
{
    private static readonly string Address = LoopbackAddresses.For("runtime-flapping-hub");

    [Fact]
    public async Task A_hub_that_flaps_every_second_causes_a_bounded_number_of_switches_and_loses_no_sample()
    {
        var failbackHold = TimeSpan.FromSeconds(3);
        var flapping = TimeSpan.FromSeconds(20);
        using var hubA = Servers.Prometheus(Dir.Path, "hub-a", Address, 19241);
        using var hubB = Servers.Prometheus(Dir.Path, "hub-b", Address, 19242);
        await Task.WhenAll(hubA.StartAsync(), hubB.StartAsync());
        using var proxy = new FlappingProxy(Address, 19251, new IPEndPoint(IPAddress.Parse(Address), 19241));
        proxy.Open();
        await using var runtime = await RuntimeUnderTest.StartAsync($$"""
            machine: pc2
            listen: http://{{Address}}:19254
            tiers:
              - { name: local-hub, kind: hub, url: "http://{{Address}}:19251" }
              - { name: remote-hub, kind: hub, url: "http://{{Address}}:19242" }
            buffer: { path: "{{Dir.Path}}/buffer.log", maxBytes: 16777216, fsync: never }
            probe: { interval: 200ms, timeout: 300ms, failoverThreshold: 3, failbackHold: {{failbackHold.TotalSeconds}}s, maxBackoff: 1s, resendWindow: 0s }
            """, Dir.Path);
        Assert.Equal("local-hub", await runtime.ActiveTierAsync());

        var run = Guid.NewGuid().ToString("N");
        var pushed = 0;
        var failed = 0;
        using var stop = new CancellationTokenSource();
        var pusher = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await runtime.PushAsync("flap", run, pushed + 1);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    pushed++;
                }
                else
                {
                    failed++;
                }
                await Task.Delay(20);
            }
        });

        await Task.Delay(2000);
        // Down one second, up the next, for 20 s.
        var clock = Stopwatch.StartNew();
        var toggles = 0;
        while (clock.Elapsed < flapping)
        {
            if (proxy.IsOpen)
            {
                proxy.Close();
            }
            else
            {
                proxy.Open();
            }
            toggles++;
            // Toggle i is due at i seconds: a late wake-up shortens the next wait instead of adding toggles.
            var wait = TimeSpan.FromSeconds(toggles) - clock.Elapsed;
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
        }
        proxy.Open();
        var switchesWhileFlapping = await runtime.MetricAsync("resilience_failovers_total");
        // Each move back needs failbackHold of unbroken health, and those windows cannot overlap: at most
        // ceil(D / hold) failbacks in D seconds, each after a failover, plus the first failover.
        var bound = 2 * Math.Ceiling(flapping / failbackHold) + 1;
        output.WriteLine($"{toggles} toggles in {flapping.TotalSeconds} s: {switchesWhileFlapping} switches (bound {bound}; 1 expected since every up window is shorter than the {failbackHold.TotalSeconds} s hold)");
        Assert.InRange((double)toggles, flapping.TotalSeconds - 1, flapping.TotalSeconds + 1);
        // 1 on a quiet machine; a loaded one can also time out probes of the steady hub, within the same bound.
        Assert.InRange(switchesWhileFlapping, 1, bound);

        await runtime.WaitForAsync(async () => await runtime.ActiveTierAsync() == "local-hub", TimeSpan.FromSeconds(10), "failback after the flapping");
        await Task.Delay(1000);
        stop.Cancel();
        await pusher;
        // A push whose connection the proxy reset was buffered, and later ones queued behind it: let it drain.
        await runtime.WaitForAsync(async () => await runtime.MetricAsync("resilience_buffer_records") == 0, TimeSpan.FromSeconds(15), "the buffer to drain");
        Assert.InRange(await runtime.MetricAsync("resilience_failovers_total"), switchesWhileFlapping + 1, bound + 1);
        Assert.Equal(0, failed);

        var selector = $"loadgen_value{{run=\"{run}\"}}";
        var onA = await Servers.QueryValuesAsync(Http, new Uri($"http://{Address}:19241"), selector);
        var onB = await Servers.QueryValuesAsync(Http, new Uri($"http://{Address}:19242"), selector);
        var buffered = await runtime.MetricAsync("resilience_samples_buffered_total");
        output.WriteLine($"{pushed} pushes accepted: {onA.Count} on the flapping hub, {onB.Count} on the remote hub, {buffered} went through the buffer; duplicates {onA.Count + onB.Count - onA.Concat(onB).Distinct().Count()}");
        Assert.Equal(Enumerable.Range(1, pushed).Select(v => (double)v), onA.Concat(onB).Distinct().Order());
        // A forward the proxy reset after the hub had stored it looks failed to the runtime: that sample goes through the
        // buffer to the other hub and is there twice (at least once is what a reset allows). Only such samples may repeat.
        Assert.InRange(onA.Count + onB.Count - pushed, 0, buffered);
    }
}
