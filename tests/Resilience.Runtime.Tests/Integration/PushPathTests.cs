using System.Text;

namespace Resilience.Runtime.Tests.Integration;

/// <summary>The grouping path through the real HTTP stack to a real Pushgateway: decoded once, forwarded intact.</summary>
[Trait("Category", "Integration")]
public sealed class PushPathTests : ServerTest
{
    private static readonly string Address = LoopbackAddresses.For("runtime-push-path");

    [Fact]
    public async Task Percent_encoded_grouping_values_arrive_decoded_once()
    {
        using var pushgateway = Servers.Pushgateway(Dir.Path, Address, 19302);
        await pushgateway.StartAsync();
        await using var runtime = await RuntimeUnderTest.StartAsync($$"""
            machine: pc2
            listen: http://{{Address}}:19303
            tiers:
              - { name: pushgateway, kind: pushgateway, url: "http://{{Address}}:19302" }
            buffer: { path: "{{Dir.Path}}/buffer.log", maxBytes: 1048576, fsync: never }
            """, Dir.Path);

        // %2541 is a literal "%41" (decoded twice it became "A"); %23 is '#' (sent decoded, the Pushgateway saw job "a").
        using var push = await runtime.Http.PostAsync("/metrics/job/a%2541b/path/x%23y", new StringContent("m 1\n", Encoding.UTF8, "text/plain"));
        Assert.True(push.StatusCode == HttpStatusCode.OK, await push.Content.ReadAsStringAsync());

        using var http = new HttpClient();
        using var groups = JsonDocument.Parse(await http.GetStringAsync($"http://{Address}:19302/api/v1/metrics"));
        var labels = groups.RootElement.GetProperty("data").EnumerateArray().Single().GetProperty("labels");
        Assert.Equal("a%41b", labels.GetProperty("job").GetString());
        Assert.Equal("x#y", labels.GetProperty("path").GetString());
    }
}
