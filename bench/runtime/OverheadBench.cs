using System.Diagnostics;
using System.Net;
using Resilience.Testing;
using Resilience.Testing.Runtime;

namespace Resilience.Bench.Runtime;

/// <summary>
/// Forwarding overhead: the same push (one sample, Pushgateway API) straight to a Pushgateway and through a
/// runtime whose only tier is that Pushgateway, interleaved one by one in the same run, each over its own
/// keep-alive client. For reference also through a runtime whose tier is a hub (remote write).
/// </summary>
public static class OverheadBench
{
    public sealed record Result(Latencies Direct, Latencies ViaRuntime, Latencies ViaRuntimeToHub);

    public static async Task<Result> RunAsync(string address, int count)
    {
        using var dir = new TempDir();
        using var pushgateway = Servers.Pushgateway(dir.Path, address, 19252);
        using var hub = Servers.Prometheus(dir.Path, "hub", address, 19243);
        await Task.WhenAll(pushgateway.StartAsync(), hub.StartAsync());
        await using var toGateway = await RuntimeUnderTest.StartAsync($$"""
            machine: pc2
            listen: http://{{address}}:19255
            tiers:
              - { name: pushgateway, kind: pushgateway, url: "http://{{address}}:19252" }
            buffer: { path: "{{dir.Path}}/buffer-pg.log", maxBytes: 67108864, fsync: always }
            probe: { interval: 1s, timeout: 500ms }
            """, dir.Path, "runtime-pg");
        await using var toHub = await RuntimeUnderTest.StartAsync($$"""
            machine: pc2
            listen: http://{{address}}:19256
            tiers:
              - { name: hub, kind: hub, url: "http://{{address}}:19243" }
            buffer: { path: "{{dir.Path}}/buffer-hub.log", maxBytes: 67108864, fsync: always }
            probe: { interval: 1s, timeout: 500ms }
            """, dir.Path, "runtime-hub");
        using var direct = new HttpClient { BaseAddress = new Uri($"http://{address}:19252"), Timeout = TimeSpan.FromSeconds(10) };
        var result = new Result(new Latencies(), new Latencies(), new Latencies());
        for (var i = -200; i < count; i++) // the first 200 warm up
        {
            var body = $"# TYPE bench_value gauge\nbench_value{{run=\"overhead\"}} {i}\n";
            var d = await TimeAsync(() => direct.PostAsync("/metrics/job/bench/instance/direct", new StringContent(body)));
            var v = await TimeAsync(() => toGateway.Http.PostAsync("/metrics/job/bench/instance/via", new StringContent(body)));
            var h = await TimeAsync(() => toHub.Http.PostAsync("/metrics/job/bench/instance/hub", new StringContent(body)));
            if (i >= 0)
            {
                result.Direct.Add(d);
                result.ViaRuntime.Add(v);
                result.ViaRuntimeToHub.Add(h);
            }
        }
        if (await toGateway.MetricAsync("resilience_samples_buffered_total") != 0 || await toHub.MetricAsync("resilience_samples_buffered_total") != 0)
        {
            throw new InvalidOperationException("a push went to the file buffer: the measurement is not of forwarding");
        }
        return result;
    }

    private static async Task<TimeSpan> TimeAsync(Func<Task<HttpResponseMessage>> push)
    {
        var watch = Stopwatch.StartNew();
        using var response = await push();
        var elapsed = watch.Elapsed;
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"push answered {(int)response.StatusCode}");
        }
        return elapsed;
    }
}
