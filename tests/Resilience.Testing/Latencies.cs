namespace Resilience.Testing;

/// <summary>Durations, reported as percentiles in milliseconds (nearest-rank).</summary>
public sealed class Latencies
{
    private readonly List<double> _ms = [];

    public int Count => _ms.Count;

    public void Add(TimeSpan d) => _ms.Add(d.TotalMilliseconds);

    public double Percentile(double p)
    {
        if (_ms.Count == 0)
        {
            return double.NaN;
        }
        var sorted = _ms.Order().ToList();
        var index = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Count - 1)];
    }

    public double Max => _ms.Count == 0 ? double.NaN : _ms.Max();

    public override string ToString() => $"n={Count} p50 {Percentile(50):0.0} ms, p99 {Percentile(99):0.0} ms, max {Max:0.0} ms";
}
