using System.Text.Json.Nodes;
using NATS.Client.JetStream.Models;
using Resilience.Model;
using Resilience.Providers.JetStream;

namespace Resilience.Tests.JetStream;

public class JetStreamCheckTests
{
    private readonly JetStreamProvider _provider = new();

    private IReadOnlyList<string> Check(string type, string json) =>
        _provider.Check(new Resource { Stack = "s", Type = type, Name = "n", Inputs = JsonNode.Parse(json)!.AsObject() }).Failures.Select(f => f.ToString()).ToList();

    [Fact]
    public void A_minimal_stream_and_consumer_are_valid()
    {
        Assert.Empty(Check("jetstream:stream", """{"server":"nats://127.0.0.1:4222","name":"a","subjects":["a.*"]}"""));
        Assert.Empty(Check("jetstream:stream", """{"server":"nats://h:1","name":"a","subjects":[],"sources":[{"name":"b","domain":"pc2"}]}"""));
        Assert.Empty(Check("jetstream:consumer", """{"server":"nats://h:1,nats://g:2","stream":"a","name":"c","filterSubject":null}"""));
    }

    [Theory]
    [InlineData("""{"name":"a","subjects":["a"]}""", "server")]
    [InlineData("""{"server":"http://h:1","name":"a","subjects":["a"]}""", "server")]
    [InlineData("""{"server":"nats://h:1","subjects":["a"]}""", "name")]
    [InlineData("""{"server":"nats://h:1","name":"a.b","subjects":["a"]}""", "name")]
    [InlineData("""{"server":"nats://h:1","name":"a","subjects":[]}""", "subjects")]
    [InlineData("""{"server":"nats://h:1","name":"a","subjects":"a.*","sources":[{"name":"b"}]}""", "subjects")]
    [InlineData("""{"server":"nats://h:1","name":"a","subjects":["a"],"storage":"disk"}""", "storage")]
    [InlineData("""{"server":"nats://h:1","name":"a","subjects":["a"],"retention":"forever"}""", "retention")]
    [InlineData("""{"server":"nats://h:1","name":"a","subjects":["a"],"maxAge":"1d"}""", "maxAge")]
    [InlineData("""{"server":"nats://h:1","name":"a","subjects":["a"],"replicas":0}""", "replicas")]
    [InlineData("""{"server":"nats://h:1","name":"a","subjects":["a"],"maxBytes":0}""", "maxBytes")]
    [InlineData("""{"server":"nats://h:1","name":"a","subjects":["a"],"discard":"oldest"}""", "discard")]
    [InlineData("""{"server":"nats://h:1","name":"a","subjects":["a"],"duplicateWindow":"soon"}""", "duplicateWindow")]
    [InlineData("""{"server":"nats://h:1","name":"a","subjects":["a"],"domain":"a.b"}""", "domain")]
    [InlineData("""{"server":"nats://h:1","name":"a","subjects":["a"],"password":"plain"}""", "password")]
    [InlineData("""{"server":"nats://h:1","name":"a","subjects":["a"],"mirror":"x"}""", "mirror")]
    [InlineData("""{"server":"nats://h:1","name":"a","sources":[{"domain":"pc2"}]}""", "sources[0].name")]
    [InlineData("""{"server":"nats://h:1","name":"a","sources":[{"name":"b","external":"x"}]}""", "sources[0].external")]
    public void Stream_problems_name_the_key(string json, string key)
    {
        var problems = Check("jetstream:stream", json);
        Assert.Single(problems);
        Assert.StartsWith(key + ":", problems[0]);
    }

    [Theory]
    [InlineData("""{"server":"nats://h:1","name":"c"}""", "stream")]
    [InlineData("""{"server":"nats://h:1","stream":"a","name":"c","ackPolicy":"manual"}""", "ackPolicy")]
    [InlineData("""{"server":"nats://h:1","stream":"a","name":"c","deliverPolicy":"by_start_sequence"}""", "deliverPolicy")]
    [InlineData("""{"server":"nats://h:1","stream":"a","name":"c","ackWait":"0s"}""", "ackWait")]
    [InlineData("""{"server":"nats://h:1","stream":"a","name":"c","maxDeliver":0}""", "maxDeliver")]
    [InlineData("""{"server":"nats://h:1","stream":"a","name":"c","filterSubjects":["a.b"]}""", "filterSubjects")]
    public void Consumer_problems_name_the_key(string json, string key)
    {
        var problems = Check("jetstream:consumer", json);
        Assert.Single(problems);
        Assert.StartsWith(key + ":", problems[0]);
    }

    [Fact]
    public void Unknown_types_are_refused() => Assert.NotEmpty(Check("jetstream:kv", """{"server":"nats://h:1"}"""));

    [Fact]
    public void The_stream_config_uses_the_domain_for_sources_and_the_singular_filter_for_consumers()
    {
        var stream = StreamSpec.Read(JsonNode.Parse(
            """{"server":"nats://h:1","name":"a","sources":[{"name":"b","domain":"pc2","filterSubject":"x.y"}],"maxAge":"24h"}""")!.AsObject());
        var config = stream.ToConfig();
        Assert.Null(config.Subjects);
        Assert.Equal(TimeSpan.FromHours(24), config.MaxAge);
        Assert.Equal(TimeSpan.Zero, config.DuplicateWindow);
        var source = Assert.Single(config.Sources!);
        Assert.Equal(("b", "pc2", "x.y"), (source.Name, source.Domain, source.FilterSubject));

        var consumer = ConsumerSpec.Read(JsonNode.Parse(
            """{"server":"nats://h:1","stream":"a","name":"c","filterSubject":"x.y"}""")!.AsObject()).ToConfig();
        Assert.Equal("x.y", consumer.FilterSubject);
        Assert.Null(consumer.FilterSubjects);
        Assert.Equal("c", consumer.DurableName);
    }

    [Fact]
    public void Live_inputs_keep_the_recorded_spelling_and_show_only_real_drift()
    {
        var recorded = JsonNode.Parse(
            """{"server":"nats://h:1","password":{"$secret":"pw"},"name":"a","subjects":["a.*"],"maxAge":"1440m","sources":[{"name":"b","domain":"pc2"}]}""")!.AsObject();
        var spec = StreamSpec.Read(recorded);
        var live = new StreamConfig
        {
            Name = "a",
            Subjects = ["a.*"],
            MaxAge = TimeSpan.FromHours(24),
            DuplicateWindow = TimeSpan.FromMinutes(2),
            MaxBytes = -1,
            NumReplicas = 1,
            Sources = [new StreamSource { Name = "b", External = new ExternalStreamSource { Api = "$JS.pc2.API" } }],
        };

        Assert.True(JsonNode.DeepEquals(recorded, StreamSpec.FromLive(live).ToLiveInputs(recorded, spec)));

        live.MaxAge = TimeSpan.FromHours(1);
        var drifted = StreamSpec.FromLive(live).ToLiveInputs(recorded, spec);
        Assert.Equal("1h", drifted["maxAge"]!.GetValue<string>());
        Assert.True(Secret.IsSecret(drifted["password"]));
    }
}
