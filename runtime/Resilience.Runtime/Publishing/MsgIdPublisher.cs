using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Net;

namespace Resilience.Runtime.Publishing;

/// <summary>
/// Publishes one message with its <c>Nats-Msg-Id</c>: into the stream that captures the subject when there is one
/// (returns once it is stored; a duplicate counts, see <see cref="StoredAck"/>), else as a plain publish so that
/// subscribers still get it. A subject once found captured is not looked up again.
/// </summary>
public sealed class MsgIdPublisher
{
    private readonly HashSet<string> _captured = [];

    public async Task PublishAsync(NatsClient client, INatsJSContext js, string subject, byte[] data, string msgId, CancellationToken stop)
    {
        if (await HasStreamForAsync(js, subject, stop))
        {
            var ack = await js.PublishAsync(subject, data, opts: new NatsJSPubOpts { MsgId = msgId }, cancellationToken: stop);
            StoredAck.EnsureStored(ack);
            return;
        }
        await client.PublishAsync(subject, data, new NatsHeaders { ["Nats-Msg-Id"] = msgId }, cancellationToken: stop);
    }

    private async Task<bool> HasStreamForAsync(INatsJSContext js, string subject, CancellationToken stop)
    {
        if (_captured.Contains(subject))
        {
            return true;
        }
        await foreach (var _ in js.ListStreamNamesAsync(subject, stop))
        {
            _captured.Add(subject);
            return true;
        }
        return false;
    }
}
