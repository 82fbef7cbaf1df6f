namespace Resilience.Runtime.Ingest;

/// <summary>
/// Stamps pushes at ingest, strictly increasing in milliseconds, so two pushes of one series never share a
/// timestamp (a hub rejects a second value at the same time) and buffered samples keep their original time.
/// </summary>
public sealed class IngestClock(TimeProvider clock)
{
    private long _last;

    public long Next()
    {
        while (true)
        {
            var last = Interlocked.Read(ref _last);
            var next = Math.Max(clock.GetUtcNow().ToUnixTimeMilliseconds(), last + 1);
            if (Interlocked.CompareExchange(ref _last, next, last) == last)
            {
                return next;
            }
        }
    }
}
