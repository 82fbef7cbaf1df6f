using Resilience.Bench.Runtime;
using Resilience.Testing;
using Resilience.Testing.Runtime;

// Usage: bench-runtime [failover|detection|overhead|all] [--runs N] [--detection-runs N] [--probe-interval-ms N] [--count N]
// Real prometheus, pushgateway and nats-server processes on loopback addresses of their own (LoopbackAddresses); detection cuts with iptables (root).
var what = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal) && !int.TryParse(a, out _)) ?? "all";
int Option(string name, int fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
RuntimeUnderTest.ConsoleLogging = false;
var ok = true;

if (what is "all" or "overhead")
{
    var o = await OverheadBench.RunAsync(LoopbackAddresses.For("bench-runtime"), Option("--count", 2000));
    Console.WriteLine($"push straight to the Pushgateway:            {o.Direct}");
    Console.WriteLine($"push through the runtime to the Pushgateway: {o.ViaRuntime}");
    Console.WriteLine($"push through the runtime to a hub (remote write): {o.ViaRuntimeToHub}");
    Console.WriteLine($"overhead per push: +{o.ViaRuntime.Percentile(50) - o.Direct.Percentile(50):0.00} ms at p50; ratio via/direct p50 {o.ViaRuntime.Percentile(50) / o.Direct.Percentile(50):0.00}x, p99 {o.ViaRuntime.Percentile(99) / o.Direct.Percentile(99):0.00}x");
}

if (what is "all" or "failover")
{
    var f = await FailoverBench.RunAsync(LoopbackAddresses.For("bench-runtime"), Option("--runs", 20));
    var lost = f.Pushed - f.Distinct;
    var duplicated = f.Found - f.Distinct;
    Console.WriteLine($"hub SIGKILL -> first sample accepted by the remote hub: {f.Failover}   [goal p99 <= 1000 ms: {(f.Failover.Percentile(99) <= 1000 ? "met" : "MISSED")}]");
    Console.WriteLine($"samples: {f.Pushed} accepted, {f.Found} on the hubs ({f.Distinct} distinct), {f.Buffered} via the buffer, {f.Failed} pushes refused; lost {lost}, duplicated {duplicated}   [goal 0 lost: {(lost == 0 ? "met" : "MISSED")}]");
    ok &= lost == 0 && f.Failover.Percentile(99) <= 1000;
}

if (what is "all" or "detection")
{
    if (Environment.UserName != "root")
    {
        Console.WriteLine("partition detection: skipped (cutting the link needs iptables, run as root)");
    }
    else
    {
        var d = await DetectionBench.RunAsync(LoopbackAddresses.For("bench-detection-mainpc"), LoopbackAddresses.For("bench-detection-pc2"), Option("--detection-runs", 10), Option("--probe-interval-ms", 1000));
        Console.WriteLine($"cut -> partitioned on /status (both sides, {d.Probe}): {d.Detection}   [goal <= 3000 ms: {(d.Detection.Percentile(99) <= 3000 ? "met" : "MISSED")}]");
        Console.WriteLine($"heal -> not partitioned on /status: {d.HealNoticed}");
        ok &= d.Detection.Percentile(99) <= 3000;
    }
}
return ok ? 0 : 1;
