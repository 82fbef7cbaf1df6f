using NATS.Client.Core;
using Resilience.Bench.JetStream;

// Usage: bench-jetstream HUB_ADDRESS EDGE_ADDRESS [--count N] [--backlog N]
// Expects a deployed pair (bench/jetstream/run does it): hub NATS on HUB:4222 with the leaf port 7422, edge on
// EDGE:4223 with its monitor on EDGE:8223. The catch-up part cuts the link with iptables (root only).
var hubAddress = args.ElementAtOrDefault(0) ?? "127.0.0.18";
var edgeAddress = args.ElementAtOrDefault(1) ?? "127.0.0.19";
int Option(string name, int fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
var count = Option("--count", 5000);
var backlog = Option("--backlog", 100_000);

await using var edge = new NatsConnection(new NatsOpts { Url = $"nats://{edgeAddress}:4223", RequestTimeout = TimeSpan.FromSeconds(10) });
await using var hub = new NatsConnection(new NatsOpts { Url = $"nats://{hubAddress}:4222", RequestTimeout = TimeSpan.FromSeconds(10) });
using var bench = new TopologyBench(edge, hub, $"http://{edgeAddress}:8223");

var local = await bench.LocalPublishAsync(count);
Console.WriteLine($"acked publish, edge's local R1 stream, one at a time (n={local.Count}): p50 {local.Percentile(50):0.00} ms, p99 {local.Percentile(99):0.00} ms"
    + "   [NATS.md: p50 ~0.2 ms, p99 1.1-1.6 ms]");

var cross = await bench.EdgeToHubAsync(Math.Min(count, 2000), TimeSpan.FromMilliseconds(2));
Console.WriteLine($"edge publish -> visible in the hub's stream (n={cross.Count}): p50 {cross.Percentile(50):0.00} ms, p99 {cross.Percentile(99):0.00} ms"
    + $"   [goal p99 <= 10 ms: {(cross.Percentile(99) <= 10 ? "met" : "MISSED")}; NATS.md: p50 ~0.7 ms (Docker ~1 ms), p99 ~5-6 ms]");

if (Environment.UserName != "root")
{
    Console.WriteLine("catch-up: skipped (cutting the link needs iptables, run as root)");
    return 0;
}
var catchUp = await bench.CatchUpAsync(backlog, hubAddress, 7422);
var lost = catchUp.Published - catchUp.Distinct;
var duplicated = catchUp.OnHub - catchUp.Distinct;
Console.WriteLine($"partition: the edge saw the leaf down {catchUp.CutNoticed.TotalSeconds:0.0} s after the cut; {catchUp.Published} published on the edge meanwhile in {catchUp.PublishTime.TotalSeconds:0.0} s");
Console.WriteLine($"link restore -> leaf up {catchUp.LinkBack.TotalSeconds:0.0} s -> hub complete {catchUp.Complete.TotalSeconds:0.0} s; catch-up {catchUp.Throughput:0} msg/s; lost {lost}, duplicated {duplicated}"
    + $"   [goal >= 20k msg/s, 0 lost: {(catchUp.Throughput >= 20_000 && lost == 0 && duplicated == 0 ? "met" : "MISSED")}; NATS.md: complete 5-6 s after the link returned, bulk ~75k msg/s]");
return lost == 0 && duplicated == 0 ? 0 : 1;
