using System.Threading.Channels;

namespace Resilience.Runtime.Publishing;

/// <summary>One event to publish: JetStream de-duplicates redeliveries by <see cref="MsgId"/>.</summary>
public sealed record OutboundMessage(string Subject, byte[] Data, string MsgId);

/// <summary>
/// The bounded queue of events waiting for NATS (health events, partition events). Drained in order by
/// <see cref="NatsOutboxPublisher"/>; while NATS is unreachable the oldest are dropped beyond the capacity, and
/// counted in <see cref="Dropped"/> (shown on /status and /metrics), so a loss is never silent.
/// </summary>
public sealed class NatsOutbox
{
    public const int Capacity = 10_000;

    private readonly Channel<OutboundMessage> _queue;

    private long _published;
    private long _dropped;

    public NatsOutbox()
    {
        _queue = Channel.CreateBounded<OutboundMessage>(
            new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest },
            _ => Interlocked.Increment(ref _dropped));
    }

    public long Dropped => Interlocked.Read(ref _dropped);

    public ChannelReader<OutboundMessage> Reader => _queue.Reader;

    public int Pending => _queue.Reader.Count;

    public long Published => Interlocked.Read(ref _published);

    public void Enqueue(OutboundMessage message) => _queue.Writer.TryWrite(message);

    internal void CountPublished() => Interlocked.Increment(ref _published);
}
