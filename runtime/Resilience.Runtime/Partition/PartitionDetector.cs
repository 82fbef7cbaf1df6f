using System.Text.Json;
using NATS.Client.Core;
using Resilience.Runtime.Config;
using Resilience.Runtime.Health;
using Resilience.Runtime.Publishing;

namespace Resilience.Runtime.Partition;

/// <summary>
/// Probes the peer every <c>peer.probeInterval</c>: its hub's <c>/-/ready</c> and, when <c>peer.jetStreamDomain</c>
/// is set, a request to <c>$JS.&lt;domain&gt;.API.INFO</c> through the local NATS server (it crosses the
/// leafnode). The peer counts as reachable when either answers. The state machine is
/// <see cref="PartitionTracker"/>; starts and ends are published on the failover subject. Probes run on their own
/// loop with their own client and a timeout, so nothing on the metrics path ever waits for them.
/// </summary>
public sealed class PartitionDetector : BackgroundService
{
    private readonly RuntimeConfig _config;
    private readonly NatsSession _nats;
    private readonly NatsOutbox _outbox;
    private readonly TimeProvider _clock;
    private readonly ILogger<PartitionDetector> _log;
    private readonly HttpClient _http;
    private readonly HttpProber _prober;

    public PartitionDetector(RuntimeConfig config, NatsSession nats, NatsOutbox outbox, TimeProvider clock, ILogger<PartitionDetector> log,
        RuntimeSecurity? security = null)
    {
        _config = config;
        _nats = nats;
        _outbox = outbox;
        _clock = clock;
        _log = log;
        Tracker = new PartitionTracker(config.Probe.FailoverThreshold);
        // Its own client: a peer probe hanging on a cut link never holds a connection the metrics path needs.
        _http = new HttpClient(HttpHandlers.Create(config.Probe.Timeout, config.SourceAddress, TimeSpan.FromSeconds(30), security))
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _prober = new HttpProber(_http, clock);
    }

    public PartitionTracker Tracker { get; }

    public PeerProbe? LastProbe { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        if (_config.Peer is not { } peer)
        {
            return;
        }
        var interval = peer.ProbeEvery;
        while (!stop.IsCancellationRequested)
        {
            var at = _clock.GetUtcNow();
            try
            {
                var hub = _prober.ProbeAsync(HttpProber.ReadyUrl(peer.HubUrl), _config.Probe.Timeout, stop);
                var jetStream = peer.JetStreamDomain is { } domain ? ProbeJetStreamAsync(domain, stop) : Task.FromResult<string?>("not configured");
                var hubResult = await hub;
                var jetStreamError = await jetStream;
                var reachable = hubResult.Outcome == ProbeOutcome.Healthy || (peer.JetStreamDomain is not null && jetStreamError is null);
                var natsUp = _config.Nats is null || _nats.IsOpen;
                LastProbe = new PeerProbe(at, reachable, hubResult.Error, jetStreamError, natsUp);
                if (Tracker.Observe(reachable, natsUp, at) is { } change)
                {
                    Publish(peer, change);
                }
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                // A background service that throws stops the whole host: log and probe again.
                _log.LogError(e, "peer probe round failed");
            }
            var wait = interval - (_clock.GetUtcNow() - at);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _clock, stop).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Null when the peer's JetStream API answered, else why not.</summary>
    private async Task<string?> ProbeJetStreamAsync(string domain, CancellationToken stop)
    {
        if (_nats.Client is not { } client || !_nats.IsOpen)
        {
            return "local NATS connection is down";
        }
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stop);
        cts.CancelAfter(_config.Probe.Timeout);
        try
        {
            await client.Connection.RequestAsync<byte[]>($"$JS.{domain}.API.INFO",
                replyOpts: new NatsSubOpts { Timeout = _config.Probe.Timeout }, cancellationToken: cts.Token);
            return null;
        }
        catch (Exception e) when (!stop.IsCancellationRequested && e is NatsException or OperationCanceledException or TimeoutException)
        {
            return e is NatsNoRespondersException ? "no responders" : e is OperationCanceledException ? "timeout" : e.Message;
        }
    }

    private void Publish(PeerConfig peer, PartitionChange change)
    {
        var gap = change.Partitioned ? (double?)null : (change.At - change.Since).TotalSeconds;
        if (change.Partitioned)
        {
            _log.LogWarning("partitioned from {Peer} since {Since:O} (detected {At:O})", peer.Machine, change.Since, change.At);
        }
        else
        {
            _log.LogWarning("partition from {Peer} healed after {Gap:0.0}s", peer.Machine, gap);
        }
        if (_config.Nats is not { } nats)
        {
            return;
        }
        var e = new PartitionEvent("partition", _config.Machine, peer.Machine, change.Partitioned ? "start" : "end", change.Since, change.At, gap);
        _outbox.Enqueue(new OutboundMessage(nats.FailoverSubject, JsonSerializer.SerializeToUtf8Bytes(e, JsonOptions.Web), e.MsgId));
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }
}

/// <summary>The last peer probe, for /status: the errors are null when that check answered.</summary>
public sealed record PeerProbe(DateTimeOffset At, bool Reachable, string? HubError, string? JetStreamError, bool LocalNatsUp);
