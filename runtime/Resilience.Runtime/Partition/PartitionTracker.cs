namespace Resilience.Runtime.Partition;

/// <summary>A partition that has healed: how long it lasted and how many peer events arrived late for it.</summary>
public sealed record PartitionGap(DateTimeOffset Since, DateTimeOffset Until, DateTimeOffset DetectedAt, long ReplayedEvents)
{
    public TimeSpan Duration => Until - Since;
}

/// <summary>A change of the partition state: start (<see cref="Partitioned"/>) or end.</summary>
public sealed record PartitionChange(bool Partitioned, DateTimeOffset Since, DateTimeOffset At);

/// <summary>
/// The partition state machine, free of I/O and clocks. Each peer probe is reported with its time: the peer is
/// partitioned after <c>threshold</c> consecutive unreachable probes taken while the local NATS connection was
/// up (with local NATS down nothing can be told about the link, so such probes neither count nor reset);
/// "partitioned since" is the time of the first failed probe of the streak. The first reachable probe ends it
/// and keeps the gap. A peer event whose own time falls inside the gap arrived late, so it is counted as replayed:
/// received after the heal, or already before the heal was noticed (the link can be back a probe interval before
/// the probe says so). The times compared are the peer's clock against this machine's: skew shifts the window.
/// </summary>
public sealed class PartitionTracker(int threshold)
{
    private readonly Lock _gate = new();
    private int _failures;
    private DateTimeOffset? _firstFailure;
    private DateTimeOffset? _since;
    private DateTimeOffset? _detectedAt;
    private PartitionGap? _lastGap;
    private long _partitions;
    private long _earlyReplays;
    private long _replayedTotal;

    public DateTimeOffset? Since { get { lock (_gate) { return _since; } } }

    public DateTimeOffset? DetectedAt { get { lock (_gate) { return _detectedAt; } } }

    public PartitionGap? LastGap { get { lock (_gate) { return _lastGap; } } }

    public long Partitions { get { lock (_gate) { return _partitions; } } }

    public long ReplayedTotal { get { lock (_gate) { return _replayedTotal; } } }

    public int ConsecutiveFailures { get { lock (_gate) { return _failures; } } }

    public PartitionChange? Observe(bool peerReachable, bool localNatsUp, DateTimeOffset at)
    {
        lock (_gate)
        {
            if (peerReachable)
            {
                _failures = 0;
                _firstFailure = null;
                if (_since is not { } since)
                {
                    return null;
                }
                _lastGap = new PartitionGap(since, at, _detectedAt!.Value, _earlyReplays);
                _earlyReplays = 0;
                _since = null;
                _detectedAt = null;
                return new PartitionChange(false, since, at);
            }
            if (!localNatsUp)
            {
                return null;
            }
            _failures++;
            _firstFailure ??= at;
            if (_since is not null || _failures < threshold)
            {
                return null;
            }
            _since = _firstFailure;
            _detectedAt = at;
            _earlyReplays = 0; // the previous gap stays on show until this partition heals
            _partitions++;
            return new PartitionChange(true, _since.Value, at);
        }
    }

    /// <summary>A peer event arrived; true when it counts as replayed (its time lies in the partition).</summary>
    public bool NoteReceived(DateTimeOffset eventAt)
    {
        lock (_gate)
        {
            if (_since is { } since)
            {
                // During a real partition nothing from the peer arrives: this one came over a link that is back.
                if (eventAt < since)
                {
                    return false;
                }
                _earlyReplays++;
                _replayedTotal++;
                return true;
            }
            if (_lastGap is not { } gap || eventAt < gap.Since || eventAt > gap.Until)
            {
                return false;
            }
            _lastGap = gap with { ReplayedEvents = gap.ReplayedEvents + 1 };
            _replayedTotal++;
            return true;
        }
    }
}
