using Resilience.Bench.Security;
using Resilience.Testing;

// Usage: bench-security [all|generate|requests] [--leaves N] [--requests N]
var what = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal) && !int.TryParse(a, out _)) ?? "all";
int Option(string name, int fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;

if (what is "all" or "generate")
{
    GenerationBench.Run(Option("--leaves", 16));
}
if (what is "all" or "requests")
{
    await RequestBench.RunAsync(LoopbackAddresses.For("bench-security"), Option("--requests", 300));
}
