using NATS.Client.JetStream.Models;

namespace Resilience.IntegrationTests.Engine;

/// <summary>Both stacks up side by side: their cross-machine links carry a metric and a message end to end.</summary>
[Collection(EngineStacksCollection.Name)]
public sealed class FullCycleTests(EngineStacks stacks, ITestOutputHelper output) : IAsyncLifetime
{
    private const string MetricsSubject = "observability.metrics.pc2";
    private const string MetricsStream = "observability-metrics";

    public Task InitializeAsync() => stacks.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Pc2s_metric_and_message_reach_MainPC_and_afterwards_nothing_is_left_to_change()
    {
        var metric = MetricReachesCentralHubAsync();
        var message = MessageReachesMainPcStreamAsync();
        await Task.WhenAll(metric, message);
        output.WriteLine($"push on PC2 -> queryable on CentralHub after {(await metric).TotalSeconds:0.0} s");
        output.WriteLine($"publish on PC2 -> in MainPC's stream after {(await message).TotalMilliseconds:0} ms");

        foreach (var stack in EngineStacks.Both)
        {
            var preview = await stacks.RunAsync("preview", "--stack", stack, "--expect-no-changes");
            Assert.True(preview.ExitCode == 0, $"{stack}: {preview}");

            var clock = Stopwatch.StartNew();
            var up = CliJson.Object(await stacks.MustRunAsync("up", "--stack", stack, "--yes", "--json"));
            output.WriteLine($"no-op up of {stack}: {clock.Elapsed.TotalSeconds:0.00} s wall, engine {(long)up["elapsedMs"]!} ms");
            Assert.Equal(["same"], up["summary"]!.AsObject().Select(p => p.Key));
        }
        output.WriteLine($"cold deploy of both stacks (collection setup): {stacks.ColdDeploy.TotalSeconds:0.0} s");
    }

    private static async Task<TimeSpan> MetricReachesCentralHubAsync()
    {
        var instance = $"itest-{Guid.NewGuid():N}";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var push = await http.PostAsync(new Uri(TestMachines.Pc2Pushgateway, $"/metrics/job/itest/instance/{instance}"),
            new StringContent("# TYPE resilience_itest_value gauge\nresilience_itest_value 42\n"));
        Assert.True(push.IsSuccessStatusCode, $"push answered {(int)push.StatusCode}: {await push.Content.ReadAsStringAsync()}");

        var query = new Uri(TestMachines.CentralHub, $"/api/v1/query?query={Uri.EscapeDataString($"resilience_itest_value{{instance=\"{instance}\"}}")}");
        JsonArray? series = null;
        var took = await Eventually.WithinAsync(TimeSpan.FromSeconds(60), async () =>
        {
            series = JsonNode.Parse(await http.GetStringAsync(query))?["data"]?["result"] as JsonArray;
            return series is { Count: > 0 };
        });

        Assert.True(took is not null, $"CentralHub never returned the series pushed on PC2 as instance {instance}");
        var sample = Assert.Single(series!)!;
        Assert.Equal("pc2", (string?)sample["metric"]?["machine"]);
        Assert.Equal("42", (string?)sample["value"]?[1]);
        return took!.Value;
    }

    private static async Task<TimeSpan> MessageReachesMainPcStreamAsync()
    {
        await using var mainpc = new NatsConnection(new NatsOpts { Url = TestMachines.MainPcNats });
        await using var pc2 = new NatsConnection(new NatsOpts { Url = TestMachines.Pc2Nats });
        var hub = new NatsJSContext(mainpc);
        var edge = new NatsJSContext(pc2);
        var before = (await hub.GetStreamAsync(MetricsStream)).Info.State.Messages;
        var payload = $"itest {Guid.NewGuid():N}";

        var ack = await edge.PublishAsync(MetricsSubject, Encoding.UTF8.GetBytes(payload));
        ack.EnsureSuccess();

        var took = await Eventually.WithinAsync(TimeSpan.FromSeconds(30), async () =>
            (await hub.GetStreamAsync(MetricsStream)).Info.State.Messages > before);
        Assert.True(took is not null, $"MainPC's {MetricsStream} stayed at {before} messages");
        var stream = await hub.GetStreamAsync(MetricsStream);
        Assert.Equal(before + 1, stream.Info.State.Messages);
        var last = await stream.GetAsync(new StreamMsgGetRequest { LastBySubj = MetricsSubject });
        Assert.Equal(payload, Encoding.UTF8.GetString(last.Message.Data.Span));
        return took!.Value;
    }
}
