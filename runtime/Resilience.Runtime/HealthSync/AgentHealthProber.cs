using System.Text.Json;
using Resilience.Runtime.Config;
using Resilience.Runtime.Health;
using Resilience.Runtime.Publishing;

namespace Resilience.Runtime.HealthSync;

/// <summary>
/// Probes this machine's agents (HTTP GET of each health URL, 2xx = up) every <c>health.probeInterval</c>,
/// and publishes an event for an agent when its status changed or its last event is <c>health.interval</c> old.
/// Each event goes into the local view at once and into the NATS outbox.
/// </summary>
public sealed class AgentHealthProber(
    RuntimeConfig config,
    HttpProber prober,
    HealthView view,
    NatsOutbox outbox,
    TimeProvider clock,
    ILogger<AgentHealthProber> log) : BackgroundService
{
    private readonly Dictionary<string, AgentHealthEvent> _lastPublished = [];
    private long _published;

    public long Published => Interlocked.Read(ref _published);

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        if (config.Agents.Count == 0)
        {
            return;
        }
        var health = config.HealthOrDefault;
        while (!stop.IsCancellationRequested)
        {
            var started = clock.GetUtcNow();
            try
            {
                var results = await Task.WhenAll(config.Agents.Select(a => prober.ProbeAsync(a.HealthUrl, health.Timeout, stop)));
                for (var i = 0; i < results.Length; i++)
                {
                    Consider(config.Agents[i], results[i], health.Interval);
                }
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                // A background service that throws stops the whole host (and its outbox): log and probe again.
                log.LogError(e, "agent health probe round failed");
            }
            var wait = health.ProbeEvery - (clock.GetUtcNow() - started);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, clock, stop).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private void Consider(AgentConfig agent, ProbeResult result, TimeSpan interval)
    {
        var status = result.Outcome == ProbeOutcome.Healthy ? AgentHealthEvent.Up : AgentHealthEvent.Down;
        // Millisecond precision: the time is part of the message id and survives JSON on every platform alike.
        var at = DateTimeOffset.FromUnixTimeMilliseconds(result.At.ToUnixTimeMilliseconds());
        var last = _lastPublished.GetValueOrDefault(agent.Name);
        var changed = last is null || last.Status != status;
        if (!changed && at - last!.At < interval)
        {
            return;
        }
        var e = new AgentHealthEvent(config.Machine, agent.Name, status, at, Math.Round(result.Duration.TotalMilliseconds, 3), result.Error);
        _lastPublished[agent.Name] = e;
        view.Apply(e);
        Interlocked.Increment(ref _published);
        if (changed && last is not null)
        {
            log.LogInformation("agent {Agent}: {From} -> {To}", agent.Name, last.Status, status);
        }
        if (config.Nats is { } nats)
        {
            outbox.Enqueue(new OutboundMessage(nats.HealthSubject(config.Machine), JsonSerializer.SerializeToUtf8Bytes(e, JsonOptions.Web), e.MsgId));
        }
    }
}
