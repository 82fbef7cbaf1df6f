using Resilience.Providers.JetStream;

namespace Resilience.IntegrationTests.JetStream;

/// <summary>Per-call latency of the provider, each call opening its own connection (as the engine and CLI do).</summary>
[Collection(NatsServerCollection.Name)]
public sealed class JetStreamLatencyTests(ITestOutputHelper output) : IDisposable
{
    private const int Calls = 30;

    private readonly NatsServer _server = NatsServer.Start("latency", LoopbackAddresses.For("jetstream-latency"), 14222, "mainpc");
    private readonly JetStreamProvider _provider = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Create_update_and_read_each_take_milliseconds_on_loopback()
    {
        Resource Stream(int i, string maxAge) => new()
        {
            Stack = "bench",
            Type = JetStreamOperations.StreamType,
            Name = $"s{i}",
            Inputs = new JsonObject { ["server"] = _server.Url, ["name"] = $"s{i}", ["subjects"] = new JsonArray($"s{i}.*"), ["maxAge"] = maxAge },
        };
        static ResourceState State(Resource r) => new() { Urn = r.Urn, Type = r.Type, Name = r.Name, Inputs = r.Inputs };

        await _provider.CreateAsync(Stream(-1, "1h"), CancellationToken.None); // warm-up: JIT and first connection
        var create = new List<double>();
        var update = new List<double>();
        var read = new List<double>();
        for (var i = 0; i < Calls; i++)
        {
            var first = Stream(i, "24h");
            create.Add(await Time(() => _provider.CreateAsync(first, CancellationToken.None)));
            var second = Stream(i, "48h");
            update.Add(await Time(() => _provider.UpdateAsync(State(first), second, DiffResult.Update("maxAge"), CancellationToken.None)));
            ReadResult? live = null;
            read.Add(await Time(async () => live = await _provider.ReadAsync(State(second), CancellationToken.None)));
            Assert.Equal("48h", live!.Inputs["maxAge"]!.GetValue<string>());
        }

        foreach (var (what, ms) in new[] { ("create", create), ("update", update), ("read", read) })
        {
            ms.Sort();
            output.WriteLine($"{what}: p50 {ms[ms.Count / 2]:F1} ms, p90 {ms[ms.Count * 9 / 10]:F1} ms, max {ms[^1]:F1} ms ({ms.Count} calls)");
            Assert.True(ms[ms.Count / 2] < 250, $"{what} p50 {ms[ms.Count / 2]} ms");
        }
    }

    private static async Task<double> Time(Func<Task> call)
    {
        var watch = Stopwatch.StartNew();
        await call();
        return watch.Elapsed.TotalMilliseconds;
    }
}
