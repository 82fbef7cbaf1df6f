using Resilience.Runtime.Publishing;

namespace Resilience.Runtime.Tests.Unit;

public class StoredAckTests
{
    /// <summary>A duplicate is an earlier attempt that got there: stored, where NATS.Net's EnsureSuccess throws.</summary>
    [Fact]
    public void A_duplicate_is_stored_and_an_error_is_not()
    {
        var duplicate = new PubAckResponse { Stream = "s", Seq = 7, Duplicate = true };
        Assert.Throws<NatsJSDuplicateMessageException>(duplicate.EnsureSuccess); // why the outbox stalled
        StoredAck.EnsureStored(duplicate);
        StoredAck.EnsureStored(new PubAckResponse { Stream = "s", Seq = 8 });
        var refused = new PubAckResponse { Error = new ApiError { Code = 503, ErrCode = 10077, Description = "maximum messages exceeded" } };
        Assert.Equal(10077, Assert.Throws<NatsJSApiException>(() => StoredAck.EnsureStored(refused)).Error.ErrCode);
    }
}
