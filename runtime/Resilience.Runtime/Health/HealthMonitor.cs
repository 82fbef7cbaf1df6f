using Resilience.Runtime.Config;

namespace Resilience.Runtime.Health;

/// <summary>
/// Probes every tier on the selector's schedule, feeds the outcomes (and forwarding failures) to the
/// <see cref="TierSelector"/>, and raises <see cref="Switched"/> for each change of the active tier.
/// </summary>
public sealed class HealthMonitor : BackgroundService
{
    private readonly RuntimeConfig _config;
    private readonly HttpProber _prober;
    private readonly TimeProvider _clock;
    private readonly ILogger<HealthMonitor> _log;
    private readonly TierSelector _selector;
    private readonly ProbeResult?[] _lastProbe;
    private readonly Lock _gate = new();
    private long _switches;

    public HealthMonitor(RuntimeConfig config, HttpProber prober, TimeProvider clock, ILogger<HealthMonitor> log)
    {
        _config = config;
        _prober = prober;
        _clock = clock;
        _log = log;
        _selector = new TierSelector(config.Tiers.Select(t => t.Name).ToList(), FailoverPolicy.From(config.Probe), clock.GetUtcNow());
        _lastProbe = new ProbeResult?[config.Tiers.Count];
    }

    public event Action<FailoverEvent>? Switched;

    public IReadOnlyList<TierConfig> Tiers => _config.Tiers;

    /// <summary>Index of the active tier; <see cref="BufferIndex"/> means the file buffer.</summary>
    public int Active
    {
        get
        {
            lock (_gate)
            {
                return _selector.Active;
            }
        }
    }

    public int BufferIndex => _config.Tiers.Count;

    public long SwitchCount => Interlocked.Read(ref _switches);

    public string TierName(int tier) => tier == BufferIndex ? "buffer" : _config.Tiers[tier].Name;

    public MonitorSnapshot Snapshot()
    {
        lock (_gate)
        {
            var tiers = _config.Tiers.Select((t, i) => new TierSnapshot(t.Name, t.Kind, t.Url, _selector.Health(i), _lastProbe[i])).ToList();
            return new MonitorSnapshot(_selector.Active, TierName(_selector.Active), _selector.ActiveSince, tiers);
        }
    }

    /// <summary>A forward to <paramref name="tier"/> failed; counts like a failed probe (refused fails over at once).</summary>
    public void ReportForwardFailure(int tier, ProbeOutcome outcome, string error, TimeSpan took)
    {
        // At is when the attempt started, as for a probe: the selector observes it at At + Duration, i.e. now.
        var result = new ProbeResult(outcome, took, _clock.GetUtcNow() - took, "forward: " + error);
        Record(tier, result);
    }

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var now = _clock.GetUtcNow();
            List<int> due;
            lock (_gate)
            {
                due = Enumerable.Range(0, _config.Tiers.Count).Where(i => _selector.IsProbeDue(i, now)).ToList();
            }
            var results = await Task.WhenAll(due.Select(i =>
                _prober.ProbeAsync(HttpProber.ReadyUrl(_config.Tiers[i].Url), _config.Probe.Timeout, stop)));
            for (var k = 0; k < due.Count; k++)
            {
                Record(due[k], results[k]);
            }
            TierSwitch? change;
            DateTimeOffset next;
            lock (_gate)
            {
                change = _selector.Evaluate(_clock.GetUtcNow());
                next = _selector.NextProbeAt;
                Raise(change, null);
            }
            var wait = next - _clock.GetUtcNow();
            // Wake at least once per interval so hold times are re-checked between backed-off probes.
            wait = TimeSpan.FromTicks(Math.Clamp(wait.Ticks, TimeSpan.FromMilliseconds(5).Ticks, _config.Probe.Interval.Ticks));
            await Task.Delay(wait, _clock, stop).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private void Record(int tier, ProbeResult result)
    {
        lock (_gate)
        {
            _lastProbe[tier] = result;
            var change = _selector.Observe(tier, result.Outcome, result.At + result.Duration);
            // Raised under the lock so subscribers see switches in sequence order.
            Raise(change, result);
        }
        if (result.Outcome != ProbeOutcome.Healthy)
        {
            _log.LogDebug("{Tier}: {Outcome} after {Ms:0.0} ms ({Error})", TierName(tier), result.Outcome, result.Duration.TotalMilliseconds, result.Error);
        }
    }

    private void Raise(TierSwitch? change, ProbeResult? cause)
    {
        if (change is null)
        {
            return;
        }
        var sequence = Interlocked.Increment(ref _switches);
        var target = change.To == BufferIndex ? _config.Buffer.Path : _config.Tiers[change.To].Url.ToString();
        var evt = new FailoverEvent(_config.Machine, TierName(change.From), TierName(change.To), target, change.Reason,
            change.At, cause?.Duration.TotalMilliseconds ?? 0, sequence);
        _log.LogWarning("active tier {From} -> {To}: {Reason}", evt.From, evt.To, evt.Reason);
        Switched?.Invoke(evt);
    }
}

public sealed record TierSnapshot(string Name, TierKind Kind, Uri Url, TierHealth Health, ProbeResult? LastProbe);

public sealed record MonitorSnapshot(int Active, string ActiveName, DateTimeOffset? ActiveSince, IReadOnlyList<TierSnapshot> Tiers);
