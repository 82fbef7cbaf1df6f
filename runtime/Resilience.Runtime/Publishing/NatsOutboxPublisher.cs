using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Net;

namespace Resilience.Runtime.Publishing;

/// <summary>
/// Drains the <see cref="NatsOutbox"/> in order: a JetStream publish with <c>Nats-Msg-Id</c> when a stream
/// captures the subject (the message is kept until the stream acknowledged it), a plain publish otherwise.
/// A failed publish is retried, so nothing queued is lost while NATS is down (up to the queue's capacity).
/// </summary>
public sealed class NatsOutboxPublisher(NatsOutbox outbox, NatsSession connection, ILogger<NatsOutboxPublisher> log) : BackgroundService
{
    private readonly MsgIdPublisher _publisher = new();

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        if (connection.Client is not { } client)
        {
            return;
        }
        var js = client.CreateJetStreamContext();
        OutboundMessage? pending = null;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                pending ??= await outbox.Reader.ReadAsync(stop);
                await _publisher.PublishAsync(client, js, pending.Subject, pending.Data, pending.MsgId, stop);
                outbox.CountPublished();
                pending = null;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogWarning("NATS publish on {Subject} failed, retrying: {Error}", pending?.Subject, e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(500), stop).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
