using NATS.Client.JetStream;
using NATS.Net;
using Resilience.Runtime.Config;
using Resilience.Runtime.Publishing;

namespace Resilience.Runtime.HealthSync;

/// <summary>One source of a local stream as JetStream accounts for it.</summary>
/// <param name="Lag">Messages of the source not yet copied.</param>
/// <param name="Active">Time since the stream last heard from the source; null when it never has.</param>
public sealed record StreamSourceLag(string Stream, string Source, long Lag, TimeSpan? Active);

/// <summary>
/// How far the local stream that holds the peer's health events (<c>nats.peerHealthStream</c>) is behind the peer's
/// stream it sources across the leafnode: JetStream's own account of each source, read every few seconds for /metrics.
/// Empty while NATS or the stream cannot be read, and in the cluster topologies (one stream, no source): nothing guessed.
/// </summary>
public sealed class StreamSourceMonitor(RuntimeConfig config, NatsSession connection, ILogger<StreamSourceMonitor> log) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private volatile IReadOnlyList<StreamSourceLag> _sources = [];

    public IReadOnlyList<StreamSourceLag> Sources => _sources;

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        if (config.Nats is not { } nats || config.Peer is null || connection.Client is not { } client)
        {
            return;
        }
        var js = client.CreateJetStreamContext();
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                var stream = await js.GetStreamAsync(nats.PeerHealthStream, cancellationToken: stop);
                _sources = (stream.Info.Sources ?? [])
                    .Select(s => new StreamSourceLag(nats.PeerHealthStream, s.Name, s.Lag, s.Active))
                    .ToList();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _sources = [];
                log.LogDebug("stream {Stream}: cannot read its sources: {Error}", nats.PeerHealthStream, e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stop));
    }
}
