using Resilience.Runtime.Config;

namespace Resilience.Runtime.Ingest;

/// <summary>
/// The samples recently accepted by each hub tier, kept in memory so they can be re-sent to the next tier when that
/// hub fails: a Prometheus hub that is killed never forwards what it accepted but had not yet remote-written (after a
/// restart its WAL watcher only sends samples newer than the restart). Free of I/O and clocks: callers pass the times.
/// <para>
/// <see cref="Record"/> keeps what a tier accepted and forgets what is older than the window; <see cref="TierFailed"/>
/// marks a tier failed at a time; <see cref="TakePending"/> (called under the ingest gate, so no forward is in flight)
/// moves every sample the failed tier accepted from <c>failedAt - window</c> on into the pending list, ordered by
/// timestamp; <see cref="Complete"/> removes what was sent. Both the recent samples
/// and the pending list are bounded (samples and bytes); the oldest go first and are counted in <see cref="Dropped"/>.
/// </para>
/// </summary>
public sealed class ResendWindow
{
    private readonly ResendConfig _config;
    private readonly LinkedList<Entry> _recent = new();
    private readonly List<(int Tier, DateTimeOffset At)> _failures = [];
    private readonly Lock _gate = new();
    private List<Entry> _pending = [];
    private List<Entry> _taken = [];
    private long _recentBytes;
    private long _pendingBytes;
    private long _dropped;

    public ResendWindow(ResendConfig config)
    {
        _config = config;
    }

    public int RecentSamples
    {
        get
        {
            lock (_gate)
            {
                return _recent.Count;
            }
        }
    }

    public long RecentBytes
    {
        get
        {
            lock (_gate)
            {
                return _recentBytes;
            }
        }
    }

    /// <summary>Samples waiting to be re-sent (failures not yet taken are not counted).</summary>
    public int PendingSamples
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Whether something may be due to hub <paramref name="target"/>: a failure not yet taken, or pending samples another hub accepted.</summary>
    public bool HasPendingFor(int target)
    {
        lock (_gate)
        {
            return _failures.Count > 0 || _pending.Any(e => e.Tier != target);
        }
    }

    /// <summary>Samples that fell out of a full window or pending list before they could be re-sent.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary><paramref name="tier"/> accepted <paramref name="samples"/> at <paramref name="at"/>.</summary>
    public void Record(int tier, IReadOnlyList<MetricSample> samples, DateTimeOffset at)
    {
        if (!_config.Enabled)
        {
            return;
        }
        lock (_gate)
        {
            Prune(at);
            foreach (var sample in samples)
            {
                var entry = new Entry(tier, at, sample, SizeOf(sample));
                _recent.AddLast(entry);
                _recentBytes += entry.Bytes;
            }
            while (_recent.Count > _config.MaxSamples || _recentBytes > _config.MaxBytes)
            {
                _recentBytes -= _recent.First!.Value.Bytes;
                _recent.RemoveFirst();
                Interlocked.Increment(ref _dropped);
            }
        }
    }

    /// <summary>The active tier left <paramref name="tier"/> at <paramref name="at"/> because it failed.</summary>
    public void TierFailed(int tier, DateTimeOffset at)
    {
        if (!_config.Enabled)
        {
            return;
        }
        lock (_gate)
        {
            _failures.Add((tier, at));
        }
    }

    /// <summary>
    /// Applies the failures marked so far and returns what is pending for hub <paramref name="target"/>, ordered by
    /// timestamp (stable, so each series keeps its push order). Samples a tier accepted after it was marked failed (a
    /// forward in flight at the switch) are included: only the window's start is bounded. Samples the target itself
    /// accepted are held back: a hub that failed and came back holds them already but, restarted, never forwards them,
    /// so they wait (bounded) for another hub to become active.
    /// </summary>
    public IReadOnlyList<MetricSample> TakePending(int target)
    {
        lock (_gate)
        {
            if (_failures.Count > 0)
            {
                var taken = new List<Entry>();
                var node = _recent.First;
                while (node is not null)
                {
                    var next = node.Next;
                    var e = node.Value;
                    if (_failures.Any(f => f.Tier == e.Tier && e.At >= f.At - _config.Window))
                    {
                        taken.Add(e);
                        _recentBytes -= e.Bytes;
                        _recent.Remove(node);
                    }
                    node = next;
                }
                _failures.Clear();
                _pending = _pending.Concat(taken).OrderBy(e => e.Sample.TimestampMs).ToList();
                _pendingBytes = _pending.Sum(e => (long)e.Bytes);
                var drop = 0;
                while (_pending.Count - drop > _config.MaxSamples || _pendingBytes > _config.MaxBytes)
                {
                    _pendingBytes -= _pending[drop].Bytes;
                    drop++;
                }
                if (drop > 0)
                {
                    _pending.RemoveRange(0, drop);
                    Interlocked.Add(ref _dropped, drop);
                }
            }
            _taken = _pending.Where(e => e.Tier != target).ToList();
            return _taken.Select(e => e.Sample).ToList();
        }
    }

    /// <summary>The first <paramref name="count"/> samples of the last <see cref="TakePending"/> were sent (whatever the hub answered).</summary>
    public void Complete(int count)
    {
        lock (_gate)
        {
            var sent = _taken.Take(count).ToHashSet(ReferenceEqualityComparer.Instance);
            _pendingBytes -= _pending.Where(sent.Contains).Sum(e => (long)e.Bytes);
            _pending.RemoveAll(sent.Contains);
            _taken = [];
        }
    }

    /// <summary>
    /// Forgets what aged out of the window, but not what a failure marked and not yet taken still needs (a forward to
    /// the failed hub that was in flight at the switch records later than the failure).
    /// </summary>
    private void Prune(DateTimeOffset now)
    {
        var oldest = now - _config.Window;
        while (_recent.First is { } first && first.Value.At < oldest
            && !_failures.Any(f => f.Tier == first.Value.Tier && first.Value.At >= f.At - _config.Window))
        {
            _recentBytes -= first.Value.Bytes;
            _recent.RemoveFirst();
        }
    }

    /// <summary>An estimate of the memory a sample holds: its label strings (UTF-16) plus value, time and overhead.</summary>
    public static int SizeOf(MetricSample sample) => 64 + sample.Labels.Sum(l => 2 * (l.Key.Length + l.Value.Length) + 32);

    private sealed record Entry(int Tier, DateTimeOffset At, MetricSample Sample, int Bytes);
}
