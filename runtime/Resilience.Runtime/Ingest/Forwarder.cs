using Resilience.Runtime.Config;
using Resilience.Runtime.Health;

namespace Resilience.Runtime.Ingest;

/// <summary>
/// Routes pushes to the active tier and drains the file buffer. One gate serialises both, which is what keeps
/// the order: while the buffer holds anything, new pushes queue behind it, and it is drained (only into a hub,
/// since a Pushgateway keeps just the last value of a series) before pushes go straight through again.
/// When a hub fails, what it accepted during the resend window is re-sent to the next hub first (see
/// <see cref="ResendWindow"/>): before any new push and before the buffer drains. While the next tier is the
/// Pushgateway (it keeps one value per series, without timestamps) the window waits in memory for the next hub.
/// A push is answered only once a tier accepted it or it is on disk.
/// </summary>
public sealed class Forwarder
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SemaphoreSlim _replaySignal = new(0, int.MaxValue);
    private readonly RuntimeConfig _config;
    private readonly HealthMonitor _monitor;
    private readonly FileBuffer _buffer;
    private readonly RemoteWriteClient _remoteWrite;
    private readonly PushgatewayClient _pushgateway;
    private readonly ResendSender _resend;
    private readonly IngestCounters _counters;
    private readonly TimeProvider _clock;
    private readonly ILogger<Forwarder> _log;

    public Forwarder(RuntimeConfig config, HealthMonitor monitor, FileBuffer buffer, RemoteWriteClient remoteWrite,
        PushgatewayClient pushgateway, ResendSender resend, IngestCounters counters, TimeProvider clock, ILogger<Forwarder> log)
    {
        _config = config;
        _monitor = monitor;
        _buffer = buffer;
        _remoteWrite = remoteWrite;
        _pushgateway = pushgateway;
        _resend = resend;
        _counters = counters;
        _clock = clock;
        _log = log;
        Window = new ResendWindow(config.Probe.ResendOrDefault);
        monitor.Switched += OnSwitched;
    }

    /// <summary>What each hub accepted lately, and what is waiting to be re-sent after a hub failed.</summary>
    public ResendWindow Window { get; }

    public long BufferPendingBytes => _buffer.PendingBytes;

    public int BufferPendingRecords => _buffer.PendingRecords;

    public async Task<IngestResult> IngestAsync(PushBatch batch, CancellationToken stop)
    {
        await _gate.WaitAsync(stop);
        try
        {
            var payload = RemoteWriteEncoder.Encode(batch.Samples);
            if (!_buffer.IsEmpty)
            {
                return Buffer(payload, batch.Samples.Count);
            }
            for (var attempt = 0; attempt <= _config.Tiers.Count; attempt++)
            {
                var tier = _monitor.Active;
                if (tier == _monitor.BufferIndex)
                {
                    break;
                }
                var target = _config.Tiers[tier];
                if (target.Kind == TierKind.Hub && Window.HasPendingFor(tier) && !await ResendAsync(tier, stop))
                {
                    if (_monitor.Active == tier)
                    {
                        break; // The window is not through yet: park the push so it cannot overtake it.
                    }
                    continue;
                }
                var result = target.Kind == TierKind.Hub
                    ? await _remoteWrite.SendAsync(target.Url, payload, _config.Probe.ForwardTimeout, stop)
                    : await _pushgateway.PushAsync(target.Url, batch, _config.Probe.ForwardTimeout, stop);
                switch (result.Status)
                {
                    case ForwardStatus.Accepted:
                        _counters.Forwarded(target.Name, batch.Samples.Count);
                        if (target.Kind == TierKind.Hub)
                        {
                            Window.Record(tier, batch.Samples, _clock.GetUtcNow());
                        }
                        return new IngestResult(IngestOutcome.Forwarded, target.Name);
                    case ForwardStatus.Rejected:
                        return new IngestResult(IngestOutcome.Rejected, target.Name, result.Error);
                }
                _monitor.ReportForwardFailure(tier, result.Outcome, result.Error ?? "unavailable", result.Took);
                if (_monitor.Active == tier)
                {
                    break; // Not (yet) failed over: park it in the buffer so later pushes cannot overtake it.
                }
            }
            return Buffer(payload, batch.Samples.Count);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Replays buffered records, oldest first, while the active tier is a hub that accepts them.</summary>
    public async Task<int> DrainAsync(CancellationToken stop)
    {
        var replayed = 0;
        while (!stop.IsCancellationRequested)
        {
            await _gate.WaitAsync(stop);
            try
            {
                var tier = _monitor.Active;
                if (tier == _monitor.BufferIndex || _config.Tiers[tier].Kind != TierKind.Hub)
                {
                    return replayed;
                }
                if (Window.HasPendingFor(tier))
                {
                    // The failed hub's window is older than anything buffered since: it goes first.
                    if (!await ResendAsync(tier, stop))
                    {
                        return replayed;
                    }
                    continue;
                }
                if (_buffer.Peek() is not { } record)
                {
                    return replayed;
                }
                var result = await _remoteWrite.SendAsync(_config.Tiers[tier].Url, record, _config.Probe.ForwardTimeout, stop);
                switch (result.Status)
                {
                    // Counted before the commit, so a reader that sees the record gone also sees it counted.
                    case ForwardStatus.Accepted:
                        _counters.Replayed();
                        _buffer.Commit(record.Length);
                        replayed++;
                        break;
                    case ForwardStatus.Rejected:
                        // Typically a record re-sent after a crash that the hub already holds (out of order).
                        _log.LogWarning("{Tier} rejected a buffered record, dropping it: {Error}", _config.Tiers[tier].Name, result.Error);
                        _counters.ReplayRejected();
                        _buffer.Commit(record.Length);
                        break;
                    default:
                        _monitor.ReportForwardFailure(tier, result.Outcome, result.Error ?? "unavailable", result.Took);
                        return replayed;
                }
            }
            finally
            {
                _gate.Release();
            }
        }
        return replayed;
    }

    /// <summary>Re-sends the pending window to hub <paramref name="tier"/>; false when the hub could not take it all.</summary>
    private async Task<bool> ResendAsync(int tier, CancellationToken stop)
    {
        var samples = Window.TakePending(tier);
        if (samples.Count == 0)
        {
            return true;
        }
        var target = _config.Tiers[tier];
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var outcome = await _resend.SendAsync(target.Url, samples, _config.Probe.ForwardTimeout, stop);
        Window.Complete(outcome.Sent);
        _counters.Resent("accepted", outcome.Accepted);
        _counters.Resent("already_present", outcome.AlreadyPresent);
        _counters.Resent("rejected", outcome.Rejected);
        _log.LogInformation("re-sent {Sent} of {Count} samples from the failed hub's window to {Tier} in {Ms:0} ms: {Accepted} accepted, {Present} already present, {Rejected} rejected",
            outcome.Sent, samples.Count, target.Name, watch.Elapsed.TotalMilliseconds, outcome.Accepted, outcome.AlreadyPresent, outcome.Rejected);
        if (outcome.Failure is { } failure)
        {
            _monitor.ReportForwardFailure(tier, failure.Outcome, failure.Error ?? "unavailable", failure.Took);
            return false;
        }
        return true;
    }

    /// <summary>A switch away from a hub that failed (not a fail-back) marks its window for re-sending.</summary>
    private void OnSwitched(FailoverEvent e)
    {
        var from = IndexOf(e.From);
        if (from < _config.Tiers.Count && _config.Tiers[from].Kind == TierKind.Hub && IndexOf(e.To) > from)
        {
            Window.TierFailed(from, e.At);
        }
    }

    private int IndexOf(string tier)
    {
        var index = _config.Tiers.ToList().FindIndex(t => t.Name == tier);
        return index < 0 ? _config.Tiers.Count : index;
    }

    public void SignalReplay() => _replaySignal.Release();

    public Task<bool> WaitForReplaySignalAsync(TimeSpan timeout, CancellationToken stop) => _replaySignal.WaitAsync(timeout, stop);

    private IngestResult Buffer(byte[] payload, int samples)
    {
        if (!_buffer.TryAppend(payload))
        {
            return new IngestResult(IngestOutcome.BufferFull, "buffer", $"buffer full ({_config.Buffer.MaxBytes} bytes)");
        }
        _counters.Buffered(samples);
        SignalReplay();
        return new IngestResult(IngestOutcome.Buffered, "buffer");
    }
}
