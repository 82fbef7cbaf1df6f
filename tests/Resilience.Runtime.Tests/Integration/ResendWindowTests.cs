namespace Resilience.Runtime.Tests.Integration;

/// <summary>
/// An edge Prometheus remote-writing everything to a central one, as EdgeHub does to CentralHub; the runtime's tiers are
/// local=edge, remote=central. The edge is SIGKILLed mid-load: what it accepted in its last second never leaves it
/// (after a restart its WAL watcher sends only newer samples), so the runtime must re-send its window to central.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ResendWindowTests(ITestOutputHelper output) : ServerTest
{
    private static readonly string Address = LoopbackAddresses.For("runtime-resend-window");
    private const int EdgePort = 19390;
    private const int CentralPort = 19391;
    private const int RuntimePort = 19394;

    [Fact]
    public async Task Killing_the_edge_mid_load_leaves_every_sample_on_central_exactly_once()
    {
        using var central = Servers.Prometheus(Dir.Path, "central", Address, CentralPort);
        using var edge = Servers.Prometheus(Dir.Path, "edge", Address, EdgePort, EdgeYaml(Address));
        await Task.WhenAll(central.StartAsync(), edge.StartAsync());
        await using var runtime = await RuntimeUnderTest.StartAsync(RuntimeConfigYaml(Address), Dir.Path);
        Assert.Equal("local-hub", await runtime.ActiveTierAsync());

        const int total = 1200;
        const int killAfter = 600;
        var run = Guid.NewGuid().ToString("N");
        for (var i = 1; i <= total; i++)
        {
            if (i == killAfter + 1)
            {
                edge.Kill();
            }
            using var response = await runtime.PushAsync("loadgen", run, i);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await Task.Delay(2);
        }
        Assert.Equal("remote-hub", await runtime.ActiveTierAsync());
        Assert.Equal(0, await runtime.MetricAsync("resilience_samples_buffered_total"));

        var selector = $"loadgen_value{{run=\"{run}\"}}";
        var centralUrl = new Uri($"http://{Address}:{CentralPort}");
        var clock = Stopwatch.StartNew();
        var values = await Servers.QueryValuesAsync(Http, centralUrl, selector);
        while (values.Count < total && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(200);
            values = await Servers.QueryValuesAsync(Http, centralUrl, selector);
        }
        var series = await SeriesCountsAsync(centralUrl, selector);
        var accepted = await runtime.MetricAsync("resilience_resent_samples_total{result=\"accepted\"}");
        var present = await runtime.MetricAsync("resilience_resent_samples_total{result=\"already_present\"}");
        var rejected = await runtime.MetricAsync("resilience_resent_samples_total{result=\"rejected\"}");
        output.WriteLine($"central holds {values.Count} of {total} samples ({string.Join(", ", series.Select(s => $"{s.Key}: {s.Value}"))}); " +
                         $"re-sent: {accepted} accepted, {present} already present, {rejected} rejected");
        foreach (var line in runtime.Log.Lines.Where(l => l.Contains("re-sent", StringComparison.Ordinal)))
        {
            output.WriteLine(line);
        }

        // Every sample exactly once, in one series: none lost, none twice (the runtime stamps machine=pc2, the label the
        // edge's scrape targets and external labels give, so a re-sent sample central already had through the edge is
        // refused as a duplicate rather than stored a second time, and the direct writes continue the same series).
        Assert.Equal(Enumerable.Range(1, total).Select(v => (double)v), values.Order());
        Assert.Equal(["machine=pc2"], series.Keys);
        // The re-send is what saved the edge's last samples, and central already had most of the window.
        Assert.True(accepted > 0, "nothing re-sent was missing on central: the test did not exercise the window");
        Assert.True(present > 0, "central had none of the window: the edge forwarded nothing before it died?");
        Assert.Equal(0, rejected);
        Assert.Equal(0, await runtime.MetricAsync("resilience_resend_pending_samples"));
    }

    [Fact]
    public async Task With_both_hubs_down_the_window_waits_and_reaches_central_before_the_buffer_drains()
    {
        var address = LoopbackAddresses.For("runtime-resend-window-both-down");
        using var central = Servers.Prometheus(Dir.Path, "central", address, CentralPort);
        using var edge = Servers.Prometheus(Dir.Path, "edge", address, EdgePort, EdgeYaml(address));
        await Task.WhenAll(central.StartAsync(), edge.StartAsync());
        // A window long enough to hold samples 200-300 whatever the load: this test is about the order, not the size.
        await using var runtime = await RuntimeUnderTest.StartAsync(RuntimeConfigYaml(address, resendWindow: "30s"), Dir.Path);
        var run = Guid.NewGuid().ToString("N");
        const int onEdge = 300;
        const int buffered = 200;
        for (var i = 1; i <= onEdge; i++)
        {
            if (i == onEdge - 100)
            {
                central.Kill(); // The edge cannot forward its last 100 samples.
            }
            Assert.Equal(HttpStatusCode.OK, (await runtime.PushAsync("loadgen", run, i)).StatusCode);
        }
        await runtime.WaitForAsync(async () => (await runtime.StatusAsync()).RootElement.GetProperty("tiers")[1].GetProperty("up").GetBoolean() == false,
            TimeSpan.FromSeconds(10), "central to be seen down");
        edge.Kill();
        for (var i = onEdge + 1; i <= onEdge + buffered; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await runtime.PushAsync("loadgen", run, i)).StatusCode);
        }
        Assert.Equal("buffer", await runtime.ActiveTierAsync());
        Assert.Equal(buffered, await runtime.MetricAsync("resilience_buffer_records"));

        await central.StartAsync();
        // The replayer logs once its drain returned, which is after the last record left the buffer.
        await runtime.WaitForAsync(async () => await runtime.MetricAsync("resilience_buffer_records") == 0
            && runtime.Log.Lines.Any(l => l.Contains("replayed", StringComparison.Ordinal)), TimeSpan.FromSeconds(20), "the buffer to drain");
        var values = await Servers.QueryValuesAsync(Http, new Uri($"http://{address}:{CentralPort}"), $"loadgen_value{{run=\"{run}\"}}");
        var accepted = await runtime.MetricAsync("resilience_resent_samples_total{result=\"accepted\"}");
        var present = await runtime.MetricAsync("resilience_resent_samples_total{result=\"already_present\"}");
        output.WriteLine($"central holds {values.Count} of {onEdge + buffered}; re-sent: {accepted} accepted, {present} already present; " +
                         $"buffer records replayed {await runtime.MetricAsync("resilience_buffer_records_replayed_total")}");
        foreach (var line in runtime.Log.Lines.Where(l => l.Contains("re-sent", StringComparison.Ordinal) || l.Contains("replayed", StringComparison.Ordinal)))
        {
            output.WriteLine(line);
        }
        // By timestamp: the edge's window, then what waited in the buffer. Every sample once.
        Assert.Equal(Enumerable.Range(1, onEdge + buffered).Select(v => (double)v), values);
        Assert.True(accepted >= 100, $"only {accepted} re-sent samples were new to central; the edge could not forward its last 100");
        Assert.Equal(buffered, await runtime.MetricAsync("resilience_buffer_records_replayed_total"));
        Assert.Equal(0, await runtime.MetricAsync("resilience_buffer_records_rejected_total"));
        // The window went first: its log line comes before the replay's.
        var lines = runtime.Log.Lines.ToList();
        Assert.True(lines.FindIndex(l => l.Contains("re-sent", StringComparison.Ordinal)) < lines.FindIndex(l => l.Contains("replayed", StringComparison.Ordinal)),
            "the buffer drained before the window was re-sent");
    }

    private static string EdgeYaml(string address) => $$"""
        global:
          scrape_interval: 15s
          external_labels:
            machine: pc2
        remote_write:
          - url: http://{{address}}:{{CentralPort}}/api/v1/write
            queue_config:
              capacity: 10000
              max_samples_per_send: 2000
              batch_send_deadline: 1s
              min_backoff: 1s
              max_backoff: 30s
        """;

    // Probe timeout 2 s: every failure here is a kill, refused at once, and a loaded machine can be slow to answer.
    private string RuntimeConfigYaml(string address, string resendWindow = "5s") => $$"""
        machine: pc2
        listen: http://{{address}}:{{RuntimePort}}
        tiers:
          - { name: local-hub, kind: hub, url: "http://{{address}}:{{EdgePort}}" }
          - { name: remote-hub, kind: hub, url: "http://{{address}}:{{CentralPort}}" }
        buffer: { path: "{{Dir.Path}}/buffer.log", maxBytes: 16777216, fsync: always }
        probe: { interval: 200ms, timeout: 2s, failoverThreshold: 3, failbackHold: 2s, maxBackoff: 1s, resendWindow: {{resendWindow}} }
        """;

    /// <summary>Samples per series (by its machine label) matching the selector on a hub.</summary>
    private async Task<Dictionary<string, int>> SeriesCountsAsync(Uri hub, string selector)
    {
        var url = new Uri(hub, "/api/v1/query?query=" + Uri.EscapeDataString($"count_over_time({selector}[1h])"));
        using var doc = JsonDocument.Parse(await Http.GetStringAsync(url));
        return doc.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().ToDictionary(
            s => s.GetProperty("metric").TryGetProperty("machine", out var m) ? "machine=" + m.GetString() : "no machine label",
            s => int.Parse(s.GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture));
    }
}
