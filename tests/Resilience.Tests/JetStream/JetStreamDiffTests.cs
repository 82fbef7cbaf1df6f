using System.Text.Json.Nodes;
using Resilience.Engine.Providers;
using Resilience.Model;
using Resilience.Providers.JetStream;

namespace Resilience.Tests.JetStream;

public class JetStreamDiffTests
{
    private readonly JetStreamProvider _provider = new();

    private static JsonObject Stream() => new()
    {
        ["server"] = "nats://127.0.0.3:4223",
        ["user"] = "edge",
        ["password"] = Secret.Wrap("pw"),
        ["domain"] = "pc2",
        ["name"] = "observability-metrics",
        ["subjects"] = new JsonArray("observability.metrics.*"),
        ["storage"] = "file",
        ["retention"] = "limits",
        ["maxAge"] = "24h",
        ["replicas"] = 1,
        ["maxBytes"] = -1,
        ["discard"] = "old",
        ["duplicateWindow"] = "2m",
        ["sources"] = new JsonArray(new JsonObject { ["name"] = "observability-metrics", ["domain"] = "mainpc", ["filterSubject"] = null }),
    };

    private static JsonObject Consumer() => new()
    {
        ["server"] = "nats://127.0.0.2:4222",
        ["stream"] = "observability-metrics",
        ["name"] = "observability-metrics-centralhub",
        ["filterSubject"] = "observability.metrics.*",
        ["ackPolicy"] = "explicit",
        ["deliverPolicy"] = "all",
        ["ackWait"] = "30s",
        ["maxDeliver"] = -1,
    };

    private DiffResult Diff(string type, JsonObject old, JsonObject desired) =>
        _provider.Diff(
            new ResourceState { Urn = "u", Type = type, Name = "n", Inputs = old },
            _provider.Check(new Resource { Stack = "s", Type = type, Name = "n", Inputs = desired }));

    private DiffResult StreamDiff(Action<JsonObject> change)
    {
        var desired = Stream();
        change(desired);
        return Diff(JetStreamOperations.StreamType, Stream(), desired);
    }

    private DiffResult ConsumerDiff(Action<JsonObject> change)
    {
        var desired = Consumer();
        change(desired);
        return Diff(JetStreamOperations.ConsumerType, Consumer(), desired);
    }

    [Fact]
    public void The_same_stream_spelled_differently_is_the_same()
    {
        Assert.Equal(DiffKind.Same, StreamDiff(_ => { }).Kind);
        Assert.Equal(DiffKind.Same, StreamDiff(s => s["maxAge"] = "1440m").Kind);
        Assert.Equal(DiffKind.Same, StreamDiff(s => { s.Remove("storage"); s.Remove("replicas"); s.Remove("discard"); }).Kind);
        Assert.Equal(DiffKind.Same, StreamDiff(s => s["subjects"] = new JsonArray("observability.metrics.*", "observability.metrics.*")).Kind);
        Assert.Equal(DiffKind.Same, ConsumerDiff(c => { c.Remove("ackWait"); c["maxDeliver"] = -1.0; }).Kind);
    }

    [Theory]
    [InlineData("storage", "memory")]
    [InlineData("retention", "workqueue")]
    [InlineData("retention", "interest")]
    [InlineData("name", "observability-metrics-2")]
    public void Stream_changes_the_server_refuses_replace_and_lose_data(string key, string value)
    {
        var diff = StreamDiff(s => s[key] = value);
        Assert.Equal(DiffKind.Replace, diff.Kind);
        Assert.Equal([key], diff.Keys);
        Assert.True(diff.DeletesData);
    }

    /// <summary>Replicas change only with the topology here, and a single server's stream does not join the new cluster.</summary>
    [Fact]
    public void A_change_of_replicas_replaces_the_stream_and_says_it_loses_data()
    {
        var diff = StreamDiff(s => s["replicas"] = 3);
        Assert.Equal(DiffKind.Replace, diff.Kind);
        Assert.Equal(["replicas"], diff.Keys);
        Assert.True(diff.DeletesData);
    }

    [Theory]
    [InlineData("maxAge", "\"1h\"")]
    [InlineData("maxBytes", "1048576")]
    [InlineData("discard", "\"new\"")]
    [InlineData("duplicateWindow", "\"5m\"")]
    [InlineData("subjects", "[\"observability.metrics.>\"]")]
    [InlineData("sources", "[]")]
    [InlineData("server", "\"nats://127.0.0.3:14223\"")]
    [InlineData("user", "\"other\"")]
    [InlineData("password", "{\"$secret\":\"new\"}")]
    [InlineData("domain", "\"other\"")]
    public void Stream_changes_the_server_accepts_update_in_place(string key, string json)
    {
        var diff = StreamDiff(s => s[key] = JsonNode.Parse(json));
        Assert.Equal(DiffKind.Update, diff.Kind);
        Assert.Equal([key], diff.Keys);
    }

    [Fact]
    public void A_new_source_filter_or_domain_is_an_update()
    {
        var diff = StreamDiff(s => s["sources"]![0]!["filterSubject"] = "observability.metrics.pc2");
        Assert.Equal(DiffKind.Update, diff.Kind);
        Assert.Equal(["sources"], diff.Keys);
    }

    [Fact]
    public void Replace_wins_over_update_and_names_only_the_keys_forcing_it()
    {
        var diff = StreamDiff(s => { s["storage"] = "memory"; s["maxAge"] = "1h"; s["server"] = "nats://x:1"; });
        Assert.Equal(DiffKind.Replace, diff.Kind);
        Assert.Equal(["storage"], diff.Keys);
    }

    [Theory]
    [InlineData("deliverPolicy", "\"new\"")]
    [InlineData("deliverPolicy", "\"last\"")]
    [InlineData("ackPolicy", "\"none\"")]
    [InlineData("ackPolicy", "\"all\"")]
    [InlineData("stream", "\"observability-health\"")]
    [InlineData("name", "\"another\"")]
    public void Consumer_changes_the_server_refuses_replace_and_lose_data(string key, string json)
    {
        var diff = ConsumerDiff(c => c[key] = JsonNode.Parse(json));
        Assert.Equal(DiffKind.Replace, diff.Kind);
        Assert.Equal([key], diff.Keys);
        Assert.True(diff.DeletesData);
    }

    [Theory]
    [InlineData("ackWait", "\"1m\"")]
    [InlineData("maxDeliver", "5")]
    [InlineData("filterSubject", "null")]
    [InlineData("filterSubject", "\"observability.metrics.pc2\"")]
    [InlineData("server", "\"nats://127.0.0.2:14222\"")]
    public void Consumer_changes_the_server_accepts_update_in_place(string key, string json)
    {
        var diff = ConsumerDiff(c => c[key] = JsonNode.Parse(json));
        Assert.Equal(DiffKind.Update, diff.Kind);
        Assert.Equal([key], diff.Keys);
    }
}
