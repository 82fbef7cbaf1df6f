namespace Resilience.Runtime.Tests.Integration;

[Trait("Category", "Integration")]
public sealed class FailoverTests(ITestOutputHelper output) : ServerTest
{
    private static readonly string Address = LoopbackAddresses.For("runtime-failover");

    [Fact]
    public async Task Killing_the_local_hub_under_load_switches_to_the_remote_hub_without_losing_a_sample_then_fails_back()
    {
        using var hubA = Servers.Prometheus(Dir.Path, "hub-a", Address, 19190);
        using var hubB = Servers.Prometheus(Dir.Path, "hub-b", Address, 19191);
        using var pushgateway = Servers.Pushgateway(Dir.Path, Address, 19192);
        await Task.WhenAll(hubA.StartAsync(), hubB.StartAsync(), pushgateway.StartAsync());
        await using var runtime = await RuntimeUnderTest.StartAsync(RuntimeYaml.ThreeTiers(Address, Dir.Path), Dir.Path);
        Assert.Equal("local-hub", await runtime.ActiveTierAsync());

        const int total = 300;
        const int killAfter = 100;
        var run = Guid.NewGuid().ToString("N");
        var killedAt = Stopwatch.StartNew();
        TimeSpan? firstAcceptedAfterKill = null;
        for (var i = 1; i <= total; i++)
        {
            if (i == killAfter + 1)
            {
                hubA.Kill();
                killedAt.Restart();
            }
            using var response = await runtime.PushAsync("loadgen", run, i);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            firstAcceptedAfterKill ??= i > killAfter ? killedAt.Elapsed : null;
        }
        Assert.Equal("remote-hub", await runtime.ActiveTierAsync());
        Assert.Equal(0, await runtime.MetricAsync("resilience_samples_buffered_total"));
        output.WriteLine($"hub death to first sample accepted by the next tier: {firstAcceptedAfterKill!.Value.TotalMilliseconds:0.0} ms");

        await hubA.StartAsync();
        var back = Stopwatch.StartNew();
        var onA = await Servers.QueryValuesAsync(Http, new Uri($"http://{Address}:19190"), $"loadgen_value{{run=\"{run}\"}}");
        var onB = await Servers.QueryValuesAsync(Http, new Uri($"http://{Address}:19191"), $"loadgen_value{{run=\"{run}\"}}");
        output.WriteLine($"samples on local hub: {onA.Count}, on remote hub: {onB.Count}");
        Assert.Equal(total, onA.Count + onB.Count); // nothing duplicated
        Assert.Equal(Enumerable.Range(1, total).Select(v => (double)v), onA.Concat(onB).Order()); // nothing lost
        Assert.Equal(Enumerable.Range(1, killAfter).Select(v => (double)v), onA);

        // Fail back only after the local hub has been healthy for the 2 s hold.
        await runtime.WaitForAsync(async () => await runtime.ActiveTierAsync() == "local-hub", TimeSpan.FromSeconds(15), "failback");
        output.WriteLine($"failback {back.Elapsed.TotalSeconds:0.00} s after the local hub was ready");
        Assert.True(back.Elapsed >= TimeSpan.FromSeconds(1.5), $"failed back after {back.Elapsed}, before the hold time");
        using (var response = await runtime.PushAsync("loadgen", run, total + 1))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        var afterFailback = await Servers.QueryValuesAsync(Http, new Uri($"http://{Address}:19190"), $"loadgen_value{{run=\"{run}\"}}");
        Assert.Equal(total + 1, afterFailback[^1]);
        Assert.Equal(2, await runtime.MetricAsync("resilience_failovers_total"));
    }

    [Fact]
    public async Task With_every_tier_down_pushes_go_to_the_file_buffer_and_are_replayed_in_order_when_a_hub_returns()
    {
        var address = LoopbackAddresses.For("runtime-failover-all-down");
        using var hubA = Servers.Prometheus(Dir.Path, "hub-a", address, 19190);
        using var hubB = Servers.Prometheus(Dir.Path, "hub-b", address, 19191);
        using var pushgateway = Servers.Pushgateway(Dir.Path, address, 19192);
        await Task.WhenAll(hubA.StartAsync(), hubB.StartAsync(), pushgateway.StartAsync());
        await using var runtime = await RuntimeUnderTest.StartAsync(RuntimeYaml.ThreeTiers(address, Dir.Path), Dir.Path);
        var run = Guid.NewGuid().ToString("N");
        const int before = 20;
        const int buffered = 200;
        for (var i = 1; i <= before; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await runtime.PushAsync("loadgen", run, i)).StatusCode);
        }

        hubA.Kill();
        hubB.Kill();
        pushgateway.Kill();
        for (var i = before + 1; i <= before + buffered; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await runtime.PushAsync("loadgen", run, i)).StatusCode);
        }
        Assert.Equal("buffer", await runtime.ActiveTierAsync());
        Assert.Equal(buffered, await runtime.MetricAsync("resilience_buffer_records"));
        Assert.Equal(buffered, await runtime.MetricAsync("resilience_samples_buffered_total"));
        Assert.True(new FileInfo(Path.Combine(Dir.Path, "buffer.log")).Length > 0);

        var restored = Stopwatch.StartNew();
        await hubB.StartAsync();
        await runtime.WaitForAsync(async () => await runtime.MetricAsync("resilience_buffer_records") == 0, TimeSpan.FromSeconds(15), "the buffer to drain");
        output.WriteLine($"{buffered} buffered pushes replayed {restored.Elapsed.TotalSeconds:0.00} s after the remote hub started");

        var onB = await Servers.QueryValuesAsync(Http, new Uri($"http://{address}:19191"), $"loadgen_value{{run=\"{run}\"}}");
        // Ordered by their ingest timestamps, the values come back exactly as pushed: in order, none missing, none twice.
        Assert.Equal(Enumerable.Range(before + 1, buffered).Select(v => (double)v), onB);
        Assert.Equal(buffered, await runtime.MetricAsync("resilience_buffer_records_replayed_total"));
        Assert.Equal(0, await runtime.MetricAsync("resilience_buffer_records_rejected_total"));
        Assert.Equal(0, new FileInfo(Path.Combine(Dir.Path, "buffer.log")).Length);

        // Pushes go straight through again once the buffer is empty.
        Assert.Equal(HttpStatusCode.OK, (await runtime.PushAsync("loadgen", run, before + buffered + 1)).StatusCode);
        Assert.Equal(buffered, await runtime.MetricAsync("resilience_samples_buffered_total"));
    }
}
