using NATS.Client.JetStream.Models;
using Resilience.Providers.JetStream;

namespace Resilience.IntegrationTests.JetStream;

[Collection(NatsServerCollection.Name)]
public sealed class JetStreamProviderTests : IAsyncLifetime
{
    private static readonly string Address = LoopbackAddresses.For("jetstream-provider");
    private readonly NatsServer _server = NatsServer.Start("js-provider", Address, 14222, "mainpc");
    private readonly JetStreamProvider _provider = new();
    private NatsConnection _nats = null!;
    private NatsJSContext _js = null!;

    public async Task InitializeAsync()
    {
        _nats = new NatsConnection(new NatsOpts { Url = _server.Url });
        await _nats.ConnectAsync();
        _js = new NatsJSContext(_nats);
    }

    public async Task DisposeAsync()
    {
        await _nats.DisposeAsync();
        _server.Dispose();
    }

    private JsonObject StreamInputs(string name = "observability-metrics") => new()
    {
        ["server"] = _server.Url,
        ["domain"] = "mainpc",
        ["name"] = name,
        ["subjects"] = new JsonArray($"{name}.*"),
        ["storage"] = "file",
        ["retention"] = "limits",
        ["maxAge"] = "24h",
        ["replicas"] = 1,
        ["maxBytes"] = -1,
        ["discard"] = "old",
        ["duplicateWindow"] = "2m",
    };

    private JsonObject ConsumerInputs() => new()
    {
        ["server"] = _server.Url,
        ["stream"] = "observability-metrics",
        ["name"] = "observability-metrics-centralhub",
        ["filterSubject"] = "observability-metrics.pc2",
        ["ackPolicy"] = "explicit",
        ["deliverPolicy"] = "all",
        ["ackWait"] = "30s",
        ["maxDeliver"] = -1,
    };

    private static Resource Desired(string type, JsonObject inputs) =>
        new() { Stack = "test", Type = type, Name = inputs["name"]!.GetValue<string>(), Inputs = inputs };

    private static ResourceState Recorded(Resource r) =>
        new() { Urn = r.Urn, Type = r.Type, Name = r.Name, Inputs = (JsonObject)r.Inputs.DeepClone() };

    [Fact]
    public async Task Stream_is_created_read_updated_repaired_after_drift_and_deleted()
    {
        var desired = Desired(JetStreamOperations.StreamType, StreamInputs());
        Assert.Empty(_provider.Check(desired).Failures);
        var outputs = await _provider.CreateAsync(desired, CancellationToken.None);
        Assert.Equal("observability-metrics", outputs["stream"]!.GetValue<string>());
        var live = (await _js.GetStreamAsync("observability-metrics")).Info.Config;
        Assert.Equal(TimeSpan.FromHours(24), live.MaxAge);
        Assert.Equal(["observability-metrics.*"], live.Subjects!);

        var state = Recorded(desired);
        var read = await _provider.ReadAsync(state, CancellationToken.None);
        Assert.True(JsonNode.DeepEquals(desired.Inputs, read!.Inputs), read.Inputs.ToJsonString());

        var longer = Desired(desired.Type, StreamInputs());
        longer.Inputs["maxAge"] = "168h";
        var diff = _provider.Diff(state, _provider.Check(longer));
        Assert.Equal(DiffKind.Update, diff.Kind);
        await _provider.UpdateAsync(state, longer, diff, CancellationToken.None);
        Assert.Equal(TimeSpan.FromHours(168), (await _js.GetStreamAsync("observability-metrics")).Info.Config.MaxAge);
        state = Recorded(longer);

        // Drift: someone shortens the max age behind the tool's back.
        var changed = (await _js.GetStreamAsync("observability-metrics")).Info.Config;
        changed.MaxAge = TimeSpan.FromHours(1);
        await _js.UpdateStreamAsync(changed);
        var drifted = await _provider.ReadAsync(state, CancellationToken.None);
        Assert.Equal("1h", drifted!.Inputs["maxAge"]!.GetValue<string>());
        var repair = _provider.Diff(state with { Inputs = drifted.Inputs }, _provider.Check(longer));
        Assert.Equal(DiffKind.Update, repair.Kind);
        Assert.Equal(["maxAge"], repair.Keys);
        await _provider.UpdateAsync(state, longer, repair, CancellationToken.None);
        Assert.Equal(TimeSpan.FromHours(168), (await _js.GetStreamAsync("observability-metrics")).Info.Config.MaxAge);

        await _provider.DeleteAsync(state, CancellationToken.None);
        Assert.Null(await _provider.ReadAsync(state, CancellationToken.None));
        await _provider.DeleteAsync(state, CancellationToken.None);
    }

    [Fact]
    public async Task The_server_refuses_in_place_exactly_what_diff_calls_a_replace()
    {
        // The rule table, checked against the real server with plain NATS.Net updates.
        var refusals = new Dictionary<string, Action<StreamConfig>>
        {
            ["storage"] = c => c.Storage = StreamConfigStorage.Memory,
            ["retention:interest"] = c => c.Retention = StreamConfigRetention.Interest,
            ["retention:workqueue"] = c => c.Retention = StreamConfigRetention.Workqueue,
        };
        var accepted = new Dictionary<string, Action<StreamConfig>>
        {
            ["maxAge"] = c => c.MaxAge = TimeSpan.FromHours(2),
            ["maxBytes"] = c => c.MaxBytes = 1 << 20,
            ["discard"] = c => c.Discard = StreamConfigDiscard.New,
            ["duplicateWindow"] = c => c.DuplicateWindow = TimeSpan.FromMinutes(5),
            ["subjects"] = c => c.Subjects = ["other.>"],
            ["sources"] = c => c.Sources = [new StreamSource { Name = "elsewhere", Domain = "pc2" }],
        };
        foreach (var (what, change) in refusals.Concat(accepted))
        {
            var config = new StreamConfig { Name = "table", Subjects = ["table.*"], Storage = StreamConfigStorage.File };
            await _js.CreateStreamAsync(config);
            change(config);
            var refused = await Record.ExceptionAsync(async () => await _js.UpdateStreamAsync(config));
            await _js.DeleteStreamAsync("table");
            if (refusals.ContainsKey(what)) Assert.Equal(10052, Assert.IsType<NatsJSApiException>(refused).Error.ErrCode);
            else Assert.Null(refused);
        }

        await _js.CreateStreamAsync(new StreamConfig { Name = "table", Subjects = ["table.*"] });
        foreach (var (what, change, refusedCode) in new (string, Action<ConsumerConfig>, int?)[]
        {
            ("deliverPolicy", c => c.DeliverPolicy = ConsumerConfigDeliverPolicy.New, 10012),
            ("ackPolicy", c => c.AckPolicy = ConsumerConfigAckPolicy.None, 10012),
            ("ackWait", c => c.AckWait = TimeSpan.FromMinutes(1), null),
            ("maxDeliver", c => c.MaxDeliver = 5, null),
            ("filterSubject", c => c.FilterSubject = "table.b", null),
        })
        {
            var config = new ConsumerConfig("c") { FilterSubject = "table.a" };
            await _js.CreateOrUpdateConsumerAsync("table", config);
            change(config);
            var refused = await Record.ExceptionAsync(async () => await _js.UpdateConsumerAsync("table", config));
            await _js.DeleteConsumerAsync("table", "c");
            Assert.True(refusedCode is null ? refused is null : refused is NatsJSApiException e && e.Error.ErrCode == refusedCode, what);
        }
    }

    [Fact]
    public async Task A_refused_change_names_the_object_and_server_and_a_replace_loses_the_messages()
    {
        var operations = new JetStreamOperations();
        var inputs = StreamInputs();
        Assert.Equal(ApplyChange.Created, (await operations.ApplyAsync(JetStreamOperations.StreamType, inputs)).Change);
        for (var i = 0; i < 5; i++) (await _js.PublishAsync("observability-metrics.pc2", i)).EnsureSuccess();

        inputs["storage"] = "memory";
        var refused = await Assert.ThrowsAsync<JetStreamException>(() => operations.ApplyAsync(JetStreamOperations.StreamType, inputs));
        Assert.Contains("stream 'observability-metrics'", refused.Message);
        Assert.Contains(_server.Url, refused.Message);
        Assert.Contains("storage", refused.Message);
        Assert.Equal(5, (await _js.GetStreamAsync("observability-metrics")).Info.State.Messages);

        var replaced = await operations.ApplyAsync(JetStreamOperations.StreamType, inputs, replaceWhenRefused: true);
        Assert.Equal(ApplyChange.Replaced, replaced.Change);
        var info = (await _js.GetStreamAsync("observability-metrics")).Info;
        Assert.Equal(StreamConfigStorage.Memory, info.Config.Storage);
        Assert.Equal(0, info.State.Messages);
    }

    [Fact]
    public async Task Consumer_is_created_read_updated_and_a_new_deliver_policy_is_refused_then_replaced()
    {
        await _provider.CreateAsync(Desired(JetStreamOperations.StreamType, StreamInputs()), CancellationToken.None);
        var desired = Desired(JetStreamOperations.ConsumerType, ConsumerInputs());
        Assert.Empty(_provider.Check(desired).Failures);
        var outputs = await _provider.CreateAsync(desired, CancellationToken.None);
        Assert.Equal("observability-metrics-centralhub", outputs["consumer"]!.GetValue<string>());
        var live = (await _js.GetConsumerAsync("observability-metrics", "observability-metrics-centralhub")).Info.Config;
        Assert.Equal("observability-metrics.pc2", live.FilterSubject);
        Assert.Equal("observability-metrics-centralhub", live.DurableName);

        var state = Recorded(desired);
        var read = await _provider.ReadAsync(state, CancellationToken.None);
        Assert.True(JsonNode.DeepEquals(desired.Inputs, read!.Inputs), read.Inputs.ToJsonString());

        var slower = Desired(desired.Type, ConsumerInputs());
        slower.Inputs["ackWait"] = "1m";
        slower.Inputs["maxDeliver"] = 10;
        var diff = _provider.Diff(state, _provider.Check(slower));
        Assert.Equal(["ackWait", "maxDeliver"], diff.Keys);
        await _provider.UpdateAsync(state, slower, diff, CancellationToken.None);
        live = (await _js.GetConsumerAsync("observability-metrics", "observability-metrics-centralhub")).Info.Config;
        Assert.Equal((TimeSpan.FromMinutes(1), 10L), (live.AckWait, live.MaxDeliver));

        var onlyNew = Desired(desired.Type, ConsumerInputs());
        onlyNew.Inputs["deliverPolicy"] = "new";
        var replace = _provider.Diff(Recorded(slower), _provider.Check(onlyNew));
        Assert.Equal(DiffKind.Replace, replace.Kind);
        Assert.True(replace.DeletesData);
        var refused = await Assert.ThrowsAsync<JetStreamException>(() => _provider.CreateAsync(onlyNew, CancellationToken.None));
        Assert.Contains("deliverPolicy", refused.Message);

        // The engine replaces it delete-first: the new one has the same name.
        await _provider.DeleteAsync(Recorded(slower), CancellationToken.None);
        await _provider.CreateAsync(onlyNew, CancellationToken.None);
        live = (await _js.GetConsumerAsync("observability-metrics", "observability-metrics-centralhub")).Info.Config;
        Assert.Equal(ConsumerConfigDeliverPolicy.New, live.DeliverPolicy);

        await _provider.DeleteAsync(Recorded(onlyNew), CancellationToken.None);
        Assert.Null(await _provider.ReadAsync(Recorded(onlyNew), CancellationToken.None));
        await _provider.DeleteAsync(Recorded(onlyNew), CancellationToken.None);
    }

    [Fact]
    public async Task Plain_operations_are_idempotent_and_say_whether_they_changed_anything()
    {
        var operations = new JetStreamOperations();
        var json = StreamInputs().ToJsonString();
        var inputs = JetStreamOperations.ParseInputs(json);

        Assert.Equal(ApplyChange.Created, (await operations.ApplyAsync(JetStreamOperations.StreamType, inputs)).Change);
        Assert.False((await operations.ApplyAsync(JetStreamOperations.StreamType, inputs)).Changed);
        inputs["maxAge"] = "48h";
        Assert.Equal(ApplyChange.Updated, (await operations.ApplyAsync(JetStreamOperations.StreamType, inputs)).Change);
        Assert.False((await operations.ApplyAsync(JetStreamOperations.StreamType, inputs)).Changed);

        var consumer = ConsumerInputs();
        Assert.True((await operations.ApplyAsync(JetStreamOperations.ConsumerType, consumer)).Changed);
        Assert.False((await operations.ApplyAsync(JetStreamOperations.ConsumerType, consumer)).Changed);
        Assert.True(await operations.DeleteAsync(JetStreamOperations.ConsumerType, consumer));
        Assert.False(await operations.DeleteAsync(JetStreamOperations.ConsumerType, consumer));

        Assert.True(await operations.DeleteAsync(JetStreamOperations.StreamType, inputs));
        Assert.False(await operations.DeleteAsync(JetStreamOperations.StreamType, inputs));
        Assert.False(await operations.DeleteAsync(JetStreamOperations.ConsumerType, consumer));
    }

    [Fact]
    public async Task An_unreachable_server_or_wrong_domain_is_a_clear_error_naming_it()
    {
        var inputs = StreamInputs();
        inputs["server"] = $"nats://{Address}:14229";
        var unreachable = await Assert.ThrowsAsync<JetStreamException>(
            () => _provider.CreateAsync(Desired(JetStreamOperations.StreamType, inputs), CancellationToken.None));
        Assert.Contains($"cannot connect to NATS server nats://{Address}:14229", unreachable.Message);

        inputs = StreamInputs();
        inputs["domain"] = "nowhere";
        var wrongDomain = await Assert.ThrowsAsync<JetStreamException>(
            () => _provider.CreateAsync(Desired(JetStreamOperations.StreamType, inputs), CancellationToken.None));
        Assert.Contains($"{_server.Url} (JetStream domain nowhere)", wrongDomain.Message);
    }
}
