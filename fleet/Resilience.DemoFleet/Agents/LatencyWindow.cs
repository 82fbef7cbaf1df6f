namespace Resilience.DemoFleet.Agents;

/// <summary>The last pushes' durations, for a summary's quantiles, plus the all-time sum and count. Thread-safe.</summary>
public sealed class LatencyWindow(int capacity = 128)
{
    private readonly double[] _seconds = new double[capacity];
    private readonly Lock _lock = new();
    private int _next;
    private int _filled;
    private double _sum;
    private long _count;

    public void Observe(TimeSpan duration)
    {
        lock (_lock)
        {
            _seconds[_next] = duration.TotalSeconds;
            _next = (_next + 1) % _seconds.Length;
            _filled = Math.Min(_filled + 1, _seconds.Length);
            _sum += duration.TotalSeconds;
            _count++;
        }
    }

    /// <returns>The quantiles (NaN before the first observation, as Prometheus clients report them), sum and count.</returns>
    public (IReadOnlyList<(double Quantile, double Seconds)> Quantiles, double Sum, long Count) Read(params double[] quantiles)
    {
        double[] sorted;
        double sum;
        long count;
        lock (_lock)
        {
            sorted = _seconds[.._filled];
            sum = _sum;
            count = _count;
        }
        Array.Sort(sorted);
        var values = quantiles.Select(q => (q, sorted.Length == 0
            ? double.NaN
            : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)])).ToList();
        return (values, sum, count);
    }
}
