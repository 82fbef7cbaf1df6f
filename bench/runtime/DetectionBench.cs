using System.Diagnostics;
using Resilience.Testing;
using Resilience.Testing.Runtime;

namespace Resilience.Bench.Runtime;

/// <summary>
/// Partition detection time: the two-machine topology (two nats-servers joined by a leafnode, two hubs, two
/// runtimes) is cut with iptables; the time until each runtime's /status says partitioned is one sample per side.
/// The link is healed and both sides must see it before the next run.
/// </summary>
public static class DetectionBench
{
    public sealed record Result(Latencies Detection, Latencies HealNoticed, string Probe);

    public static async Task<Result> RunAsync(string mainAddress, string pc2Address, int runs, int intervalMs)
    {
        using var dir = new TempDir();
        var interval = $"{intervalMs}ms";
        const string timeout = "500ms";
        await using var m = await TwoMachines.StartAsync(mainAddress, pc2Address, dir.Path, interval, timeout);
        var detection = new Latencies();
        var heal = new Latencies();
        for (var i = 0; i < runs; i++)
        {
            // A random phase: the cut must not land at the same point of the probe cycle every run.
            await Task.Delay(1500 + Random.Shared.Next(Math.Min(intervalMs, 500)));
            var cut = Stopwatch.StartNew();
            m.Partition.Cut();
            try
            {
                var sides = await Task.WhenAll(WaitAsync(m.Main, true, cut), WaitAsync(m.Pc2, true, cut));
                Array.ForEach(sides, detection.Add);
            }
            finally
            {
                m.Partition.Heal();
            }
            var healed = Stopwatch.StartNew();
            var back = await Task.WhenAll(WaitAsync(m.Main, false, healed), WaitAsync(m.Pc2, false, healed));
            Array.ForEach(back, heal.Add);
            Console.Error.Write('.');
        }
        Console.Error.WriteLine();
        return new Result(detection, heal, $"probe.interval {interval}, peer.probeInterval default {Math.Min(intervalMs, 500)}ms, probe.timeout {timeout}, failoverThreshold 3");
    }

    private static async Task<TimeSpan> WaitAsync(RuntimeUnderTest runtime, bool partitioned, Stopwatch since)
    {
        var deadline = TimeSpan.FromSeconds(30);
        while ((await TwoMachines.PartitionAsync(runtime)).GetProperty("partitioned").GetBoolean() != partitioned)
        {
            if (since.Elapsed > deadline)
            {
                throw new TimeoutException($"{runtime.Config.Machine} never reported partitioned={partitioned}");
            }
            await Task.Delay(10);
        }
        return since.Elapsed;
    }
}
