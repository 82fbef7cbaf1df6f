using Resilience.Runtime.Health;
using Resilience.Runtime.Ingest;

namespace Resilience.Runtime.Tests.Unit;

public class ForwardResultTests
{
    [Theory]
    [InlineData(204, ForwardStatus.Accepted)]
    [InlineData(400, ForwardStatus.Rejected)] // out of order, duplicate, unparsable: the data
    [InlineData(422, ForwardStatus.Rejected)]
    [InlineData(404, ForwardStatus.Unavailable)] // a hub started without the remote-write receiver
    [InlineData(401, ForwardStatus.Unavailable)]
    [InlineData(403, ForwardStatus.Unavailable)]
    [InlineData(413, ForwardStatus.Unavailable)]
    [InlineData(429, ForwardStatus.Unavailable)]
    [InlineData(503, ForwardStatus.Unavailable)]
    public async Task Only_a_complaint_about_the_data_rejects_it(int code, ForwardStatus expected)
    {
        var result = await ForwardResult.SendAsync(_ => Task.FromResult(new HttpResponseMessage((HttpStatusCode)code) { Content = new StringContent("why") }),
            TimeSpan.FromSeconds(1), CancellationToken.None);
        Assert.Equal(expected, result.Status);
        Assert.Equal(expected == ForwardStatus.Unavailable ? ProbeOutcome.Failed : ProbeOutcome.Healthy, result.Outcome);
    }
}
