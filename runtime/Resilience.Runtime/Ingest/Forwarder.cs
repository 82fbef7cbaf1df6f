using Resilience.Runtime.Config;
using Resilience.Runtime.Health;

namespace Resilience.Runtime.Ingest;

/// <summary>
/// Routes pushes to the active tier and drains the file buffer. One gate serialises both, which is what keeps
/// the order: while the buffer holds anything, new pushes queue behind it, and it is drained (only into a hub,
/// since a Pushgateway keeps just the last value of a series) before pushes go straight through again.
/// A push is answered only once a tier accepted it or it is on disk.
/// </summary>
public sealed class Forwarder(
    RuntimeConfig config,
    HealthMonitor monitor,
    FileBuffer buffer,
    RemoteWriteClient remoteWrite,
    PushgatewayClient pushgateway,
    IngestCounters counters,
    ILogger<Forwarder> log)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SemaphoreSlim _replaySignal = new(0, int.MaxValue);

    public long BufferPendingBytes => buffer.PendingBytes;

    public int BufferPendingRecords => buffer.PendingRecords;

    public async Task<IngestResult> IngestAsync(PushBatch batch, CancellationToken stop)
    {
        await _gate.WaitAsync(stop);
        try
        {
            var payload = RemoteWriteEncoder.Encode(batch.Samples);
            if (!buffer.IsEmpty)
            {
                return Buffer(payload, batch.Samples.Count);
            }
            for (var attempt = 0; attempt <= config.Tiers.Count; attempt++)
            {
                var tier = monitor.Active;
                if (tier == monitor.BufferIndex)
                {
                    break;
                }
                var target = config.Tiers[tier];
                var result = target.Kind == TierKind.Hub
                    ? await remoteWrite.SendAsync(target.Url, payload, config.Probe.ForwardTimeout, stop)
                    : await pushgateway.PushAsync(target.Url, batch, config.Probe.ForwardTimeout, stop);
                switch (result.Status)
                {
                    case ForwardStatus.Accepted:
                        counters.Forwarded(target.Name, batch.Samples.Count);
                        return new IngestResult(IngestOutcome.Forwarded, target.Name);
                    case ForwardStatus.Rejected:
                        return new IngestResult(IngestOutcome.Rejected, target.Name, result.Error);
                }
                monitor.ReportForwardFailure(tier, result.Outcome, result.Error ?? "unavailable", result.Took);
                if (monitor.Active == tier)
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
                var tier = monitor.Active;
                if (tier == monitor.BufferIndex || config.Tiers[tier].Kind != TierKind.Hub || buffer.Peek() is not { } record)
                {
                    return replayed;
                }
                var result = await remoteWrite.SendAsync(config.Tiers[tier].Url, record, config.Probe.ForwardTimeout, stop);
                switch (result.Status)
                {
                    case ForwardStatus.Accepted:
                        buffer.Commit(record.Length);
                        counters.Replayed();
                        replayed++;
                        break;
                    case ForwardStatus.Rejected:
                        // Typically a record re-sent after a crash that the hub already holds (out of order).
                        log.LogWarning("{Tier} rejected a buffered record, dropping it: {Error}", config.Tiers[tier].Name, result.Error);
                        buffer.Commit(record.Length);
                        counters.ReplayRejected();
                        break;
                    default:
                        monitor.ReportForwardFailure(tier, result.Outcome, result.Error ?? "unavailable", result.Took);
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

    public void SignalReplay() => _replaySignal.Release();

    public Task<bool> WaitForReplaySignalAsync(TimeSpan timeout, CancellationToken stop) => _replaySignal.WaitAsync(timeout, stop);

    private IngestResult Buffer(byte[] payload, int samples)
    {
        if (!buffer.TryAppend(payload))
        {
            return new IngestResult(IngestOutcome.BufferFull, "buffer", $"buffer full ({config.Buffer.MaxBytes} bytes)");
        }
        counters.Buffered(samples);
        SignalReplay();
        return new IngestResult(IngestOutcome.Buffered, "buffer");
    }
}
