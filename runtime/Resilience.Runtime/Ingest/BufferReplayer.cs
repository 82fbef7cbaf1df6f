using Resilience.Runtime.Health;

namespace Resilience.Runtime.Ingest;

/// <summary>Drains the buffer whenever something was buffered or the active tier changed, and every second.</summary>
public sealed class BufferReplayer(Forwarder forwarder, HealthMonitor monitor, ILogger<BufferReplayer> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        monitor.Switched += _ => forwarder.SignalReplay();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await forwarder.WaitForReplaySignalAsync(TimeSpan.FromSeconds(1), stop);
                var replayed = await forwarder.DrainAsync(stop);
                if (replayed > 0)
                {
                    log.LogInformation("replayed {Count} buffered records, {Left} left", replayed, forwarder.BufferPendingRecords);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogError(e, "buffer replay failed");
                await Task.Delay(TimeSpan.FromSeconds(1), stop);
            }
        }
    }
}
