using System.Diagnostics;

namespace Resilience.Bench.JetStream;

/// <summary>Samples in Stopwatch ticks, reported as percentiles in milliseconds.</summary>
public sealed class Latencies
{
    private readonly List<long> _ticks = [];

    public int Count => _ticks.Count;

    public void Add(long ticks) => _ticks.Add(ticks);

    public double Percentile(double p)
    {
        if (_ticks.Count == 0) return double.NaN;
        var sorted = _ticks.Order().ToList();
        var index = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Count - 1)] * 1000.0 / Stopwatch.Frequency;
    }
}
