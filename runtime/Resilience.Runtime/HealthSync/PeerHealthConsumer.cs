using NATS.Client.Core;
using System.Text.Json;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using NATS.Net;
using Resilience.Runtime.Config;
using Resilience.Runtime.Partition;
using Resilience.Runtime.Publishing;

namespace Resilience.Runtime.HealthSync;

/// <summary>
/// Reads the peer's health events from the durable consumer <c>nats.peerHealthConsumer</c> on the local stream
/// <c>nats.peerHealthStream</c> (created, filtered to the peer's subject, only if the stack has not), merges them
/// into the <see cref="HealthView"/> and acknowledges each one. After a partition the stream's source catches up
/// and the consumer delivers what was missed; those events are counted as replayed by the tracker.
/// </summary>
public sealed class PeerHealthConsumer(
    RuntimeConfig config,
    NatsSession connection,
    HealthView view,
    PartitionDetector detector,
    ILogger<PeerHealthConsumer> log) : BackgroundService
{
    private long _received;
    private long _applied;
    private long _invalid;

    public long Received => Interlocked.Read(ref _received);

    public long Applied => Interlocked.Read(ref _applied);

    public long Invalid => Interlocked.Read(ref _invalid);

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        if (config.Nats is not { } nats || config.Peer is not { } peer || connection.Client is not { } client)
        {
            return;
        }
        var js = client.CreateJetStreamContext();
        // A consume outlives a reconnect and keeps pulling from a consumer that may no longer exist (a server whose
        // store was wiped): each reconnect ends the round, so the consumer is looked up, or created, again.
        CancellationTokenSource? round = null;
        ValueTask Reconnected(object? sender, NatsEventArgs args)
        {
            try
            {
                Volatile.Read(ref round)?.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
            return ValueTask.CompletedTask;
        }
        client.Connection.ConnectionOpened += Reconnected;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                using var current = CancellationTokenSource.CreateLinkedTokenSource(stop);
                Volatile.Write(ref round, current);
                try
                {
                    var consumer = await GetOrCreateAsync(js, nats, peer, current.Token);
                    await foreach (var msg in consumer.ConsumeAsync<byte[]>(cancellationToken: current.Token))
                    {
                        Handle(msg.Data, peer);
                        await msg.AckAsync(cancellationToken: stop);
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (OperationCanceledException)
                {
                    log.LogInformation("peer health consumer {Stream}/{Consumer}: NATS reconnected, looking the consumer up again", nats.PeerHealthStream, nats.PeerHealthConsumer);
                }
                catch (Exception e)
                {
                    log.LogWarning("peer health consumer {Stream}/{Consumer}: {Error}; retrying", nats.PeerHealthStream, nats.PeerHealthConsumer, e.Message);
                    await Task.Delay(TimeSpan.FromSeconds(1), stop).ContinueWith(_ => { }, TaskScheduler.Default);
                }
            }
        }
        finally
        {
            client.Connection.ConnectionOpened -= Reconnected;
        }
    }

    private static async Task<INatsJSConsumer> GetOrCreateAsync(INatsJSContext js, NatsConfig nats, PeerConfig peer, CancellationToken stop)
    {
        try
        {
            return await js.GetConsumerAsync(nats.PeerHealthStream, nats.PeerHealthConsumer, stop);
        }
        catch (NatsJSApiException e) when (e.Error.Code == 404)
        {
            return await js.CreateOrUpdateConsumerAsync(nats.PeerHealthStream, new ConsumerConfig(nats.PeerHealthConsumer)
            {
                DurableName = nats.PeerHealthConsumer,
                FilterSubject = nats.HealthSubject(peer.Machine),
                AckPolicy = ConsumerConfigAckPolicy.Explicit,
                DeliverPolicy = ConsumerConfigDeliverPolicy.All,
            }, stop);
        }
    }

    private void Handle(byte[]? data, PeerConfig peer)
    {
        Interlocked.Increment(ref _received);
        AgentHealthEvent? e = null;
        try
        {
            e = data is null ? null : JsonSerializer.Deserialize<AgentHealthEvent>(data, JsonOptions.Web);
        }
        catch (JsonException)
        {
        }
        // Only the peer's events: this machine's own are in the view from the probe already.
        if (e is null || e.Machine != peer.Machine || string.IsNullOrEmpty(e.Agent) || e.Status is not (AgentHealthEvent.Up or AgentHealthEvent.Down))
        {
            Interlocked.Increment(ref _invalid);
            return;
        }
        // Counted as replayed only when new to the view: a redelivery (lost ack) or a consumer re-created with
        // deliver-all brings old events again.
        if (view.Apply(e))
        {
            detector.Tracker.NoteReceived(e.At);
            Interlocked.Increment(ref _applied);
        }
    }
}
