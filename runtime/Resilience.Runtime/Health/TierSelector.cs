namespace Resilience.Runtime.Health;

/// <summary>
/// The failover decision, free of I/O and clocks: callers report probe (or forwarding) outcomes with the time
/// they happened and get back a switch when the active tier changes. Rules:
/// a tier goes down after <c>Threshold</c> consecutive failures, or at once when the connection is refused;
/// the active tier moves to the best tier that is up (the buffer when none is); moving back up to a better tier
/// needs that tier healthy without a break for the failback hold (the buffer-exit hold when leaving the buffer),
/// so a flapping tier never wins back traffic. A down tier is probed with exponential backoff.
/// </summary>
public sealed class TierSelector
{
    private readonly FailoverPolicy _policy;
    private readonly TierHealth[] _tiers;
    private readonly IReadOnlyList<string> _names;
    private readonly DateTimeOffset[] _lastObserved;

    public TierSelector(IReadOnlyList<string> tierNames, FailoverPolicy policy, DateTimeOffset start)
    {
        var tierCount = tierNames.Count;
        ArgumentOutOfRangeException.ThrowIfLessThan(tierCount, 1);
        _policy = policy;
        _names = tierNames;
        // Optimistic start: the best tier is active and every tier is probed at once.
        _tiers = Enumerable.Repeat(new TierHealth(true, 0, null, start), tierCount).ToArray();
        _lastObserved = Enumerable.Repeat(start, tierCount).ToArray();
    }

    public int TierCount => _tiers.Length;

    public int BufferIndex => _tiers.Length;

    public int Active { get; private set; }

    public DateTimeOffset? ActiveSince { get; private set; }

    public string Name(int tier) => tier == BufferIndex ? "buffer" : _names[tier];

    public TierHealth Health(int tier) => _tiers[tier];

    public bool IsProbeDue(int tier, DateTimeOffset now) => DueAt(tier) <= now;

    public DateTimeOffset NextProbeAt => Enumerable.Range(0, _tiers.Length).Min(DueAt);

    // On the buffer nothing better is running, so every tier is probed at the base interval: the sooner one
    // answers, the sooner the buffer drains. Otherwise a down tier waits out its backoff.
    private DateTimeOffset DueAt(int tier) => Active == BufferIndex
        ? Min(_tiers[tier].NextProbeAt, _lastObserved[tier] + _policy.ProbeInterval)
        : _tiers[tier].NextProbeAt;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    public TierSwitch? Observe(int tier, ProbeOutcome outcome, DateTimeOffset now)
    {
        var old = _tiers[tier];
        _lastObserved[tier] = now;
        _tiers[tier] = outcome switch
        {
            ProbeOutcome.Healthy => new TierHealth(true, 0, old.Up && old.HealthySince is { } since ? since : now,
                now + _policy.ProbeInterval),
            ProbeOutcome.Refused => Failed(Math.Max(old.ConsecutiveFailures + 1, _policy.Threshold), now),
            _ => Failed(old.ConsecutiveFailures + 1, now),
        };
        return Evaluate(now, Reason(tier, outcome, old));
    }

    /// <summary>Re-checks failback without a new observation (hold times expire between probes).</summary>
    public TierSwitch? Evaluate(DateTimeOffset now) => Evaluate(now, null);

    private TierHealth Failed(int failures, DateTimeOffset now)
    {
        var up = failures < _policy.Threshold;
        var delay = up ? _policy.ProbeInterval : Backoff(failures - _policy.Threshold + 1);
        return new TierHealth(up, failures, null, now + delay);
    }

    private TimeSpan Backoff(int downProbes)
    {
        var factor = Math.Pow(2, Math.Min(downProbes, 20));
        var delay = TimeSpan.FromTicks((long)Math.Min(_policy.ProbeInterval.Ticks * factor, _policy.MaxBackoff.Ticks));
        return delay < _policy.ProbeInterval ? _policy.ProbeInterval : delay;
    }

    private TierSwitch? Evaluate(DateTimeOffset now, string? failureReason)
    {
        if (Active != BufferIndex && !_tiers[Active].Up)
        {
            var target = Array.FindIndex(_tiers, t => t.Up);
            return SwitchTo(target < 0 ? BufferIndex : target, failureReason ?? $"{Name(Active)} is down", now);
        }
        var hold = Active == BufferIndex ? _policy.BufferExitHold : _policy.FailbackHold;
        for (var i = 0; i < Active; i++)
        {
            if (_tiers[i] is { Up: true, HealthySince: { } since } && now - since >= hold)
            {
                return SwitchTo(i, $"{Name(i)} healthy for {(now - since).TotalSeconds:0.###}s (hold {hold.TotalSeconds:0.###}s)", now);
            }
        }
        return null;
    }

    private TierSwitch SwitchTo(int target, string reason, DateTimeOffset now)
    {
        var change = new TierSwitch(Active, target, reason, now);
        Active = target;
        ActiveSince = now;
        return change;
    }

    private string? Reason(int tier, ProbeOutcome outcome, TierHealth before) => outcome switch
    {
        ProbeOutcome.Refused => $"{Name(tier)} refused the connection",
        ProbeOutcome.Failed when before.Up && !_tiers[tier].Up => $"{Name(tier)} failed {_tiers[tier].ConsecutiveFailures} consecutive checks",
        _ => null,
    };
}
