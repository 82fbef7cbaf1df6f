using System.Collections.Concurrent;

namespace Resilience.Runtime.Ingest;

/// <summary>Counters of the metrics path, exported on /metrics.</summary>
public sealed class IngestCounters
{
    private long _buffered;
    private long _replayedRecords;
    private long _rejectedRecords;

    public ConcurrentDictionary<string, long> ForwardedSamples { get; } = new();

    public ConcurrentDictionary<string, long> Pushes { get; } = new();

    public long BufferedSamples => Interlocked.Read(ref _buffered);

    public long ReplayedRecords => Interlocked.Read(ref _replayedRecords);

    public long ReplayRejectedRecords => Interlocked.Read(ref _rejectedRecords);

    public void Forwarded(string tier, int samples) => ForwardedSamples.AddOrUpdate(tier, samples, (_, n) => n + samples);

    public void Push(string result) => Pushes.AddOrUpdate(result, 1, (_, n) => n + 1);

    public void Buffered(int samples) => Interlocked.Add(ref _buffered, samples);

    public void Replayed() => Interlocked.Increment(ref _replayedRecords);

    public void ReplayRejected() => Interlocked.Increment(ref _rejectedRecords);

    /// <summary>Samples of a failed hub's window re-sent to the next tier, by result: accepted, already_present, rejected.</summary>
    public ConcurrentDictionary<string, long> ResentSamples { get; } = new();

    public void Resent(string result, int samples)
    {
        if (samples > 0)
        {
            ResentSamples.AddOrUpdate(result, samples, (_, n) => n + samples);
        }
    }
}
