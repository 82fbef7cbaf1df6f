using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Resilience.Runtime.Publishing;

public static class StoredAck
{
    /// <summary>
    /// Throws unless the message is in the stream. A duplicate counts as stored: it means an earlier attempt whose ack
    /// was lost (a timeout across a reconnect) got there. NATS.Net's EnsureSuccess throws on it, and a retry loop built
    /// on that stalls for the whole duplicate window and then stores the message a second time.
    /// </summary>
    public static void EnsureStored(PubAckResponse ack)
    {
        if (ack.Error is { } error)
        {
            throw new NatsJSApiException(error);
        }
    }
}
