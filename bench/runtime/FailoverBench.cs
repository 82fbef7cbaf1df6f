using System.Diagnostics;
using System.Net;
using Resilience.Testing;
using Resilience.Testing.Runtime;

namespace Resilience.Bench.Runtime;

/// <summary>
/// Hub death to the first sample accepted by the next tier: a runtime forwards a steady stream of pushes to the
/// local hub (a real prometheus); the bench SIGKILLs it and times, from the moment the process is gone, until a
/// push is answered 200 with the remote hub's forwarded counter one higher. Then the hub is restarted and the
/// runtime fails back (1 s hold) before the next run. At the end every pushed value is looked up on the hubs.
/// </summary>
public static class FailoverBench
{
    public sealed record Result(Latencies Failover, int Pushed, int Found, int Distinct, int Buffered, int Failed);

    public static async Task<Result> RunAsync(string address, int runs)
    {
        using var dir = new TempDir();
        using var hubA = Servers.Prometheus(dir.Path, "hub-a", address, 19241);
        using var hubB = Servers.Prometheus(dir.Path, "hub-b", address, 19242);
        await Task.WhenAll(hubA.StartAsync(), hubB.StartAsync());
        await using var runtime = await RuntimeUnderTest.StartAsync($$"""
            machine: pc2
            listen: http://{{address}}:19254
            tiers:
              - { name: local-hub, kind: hub, url: "http://{{address}}:19241" }
              - { name: remote-hub, kind: hub, url: "http://{{address}}:19242" }
            buffer: { path: "{{dir.Path}}/buffer.log", maxBytes: 67108864, fsync: always }
            probe: { interval: 200ms, timeout: 300ms, failoverThreshold: 3, failbackHold: 1s, maxBackoff: 1s }
            """, dir.Path);
        var run = Guid.NewGuid().ToString("N");
        var failover = new Latencies();
        int value = 0, failed = 0;
        async Task<bool> PushAsync()
        {
            using var response = await runtime.PushAsync("bench", run, ++value);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                failed++;
            }
            return response.StatusCode == HttpStatusCode.OK;
        }

        for (var i = 0; i < runs; i++)
        {
            await runtime.WaitForAsync(async () => await runtime.ActiveTierAsync() == "local-hub", TimeSpan.FromSeconds(30), "the local hub");
            for (var k = 0; k < 20; k++)
            {
                await PushAsync();
            }
            var onRemote = await ForwardedAsync(runtime, "remote-hub");
            hubA.Kill();
            var dead = Stopwatch.StartNew();
            while (true)
            {
                var ok = await PushAsync();
                var answeredAt = dead.Elapsed;
                if (ok && await ForwardedAsync(runtime, "remote-hub") > onRemote)
                {
                    failover.Add(answeredAt);
                    break;
                }
                if (dead.Elapsed > TimeSpan.FromSeconds(30))
                {
                    throw new TimeoutException($"run {i + 1}: no sample reached the remote hub in 30 s");
                }
            }
            for (var k = 0; k < 20; k++)
            {
                await PushAsync();
            }
            await hubA.StartAsync();
            Console.Error.Write('.');
        }
        await runtime.WaitForAsync(async () => await runtime.ActiveTierAsync() == "local-hub", TimeSpan.FromSeconds(30), "the local hub");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var selector = $"loadgen_value{{run=\"{run}\"}}";
        var all = (await Servers.QueryValuesAsync(http, new Uri($"http://{address}:19241"), selector))
            .Concat(await Servers.QueryValuesAsync(http, new Uri($"http://{address}:19242"), selector)).ToList();
        var buffered = (int)await runtime.MetricAsync("resilience_samples_buffered_total");
        Console.Error.WriteLine();
        return new Result(failover, value - failed, all.Count, all.Distinct().Count(), buffered, failed);
    }

    private static async Task<double> ForwardedAsync(RuntimeUnderTest runtime, string tier)
    {
        try
        {
            return await runtime.MetricAsync($"resilience_samples_forwarded_total{{tier=\"{tier}\"}}");
        }
        catch (InvalidOperationException)
        {
            return 0; // nothing forwarded to that tier yet: no line
        }
    }
}
