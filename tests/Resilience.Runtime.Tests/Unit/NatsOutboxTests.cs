using Resilience.Runtime.Publishing;

namespace Resilience.Runtime.Tests.Unit;

public class NatsOutboxTests
{
    [Fact]
    public void A_full_outbox_drops_the_oldest_and_counts_them()
    {
        var outbox = new NatsOutbox();
        for (var i = 0; i < NatsOutbox.Capacity + 3; i++) outbox.Enqueue(new OutboundMessage("s", [], $"id-{i}"));
        Assert.Equal(NatsOutbox.Capacity, outbox.Pending);
        Assert.Equal(3, outbox.Dropped);
        Assert.True(outbox.Reader.TryRead(out var first));
        Assert.Equal("id-3", first.MsgId);
    }
}
