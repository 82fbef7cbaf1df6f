using System.Buffers.Binary;
using System.Diagnostics;
using System.Text.Json;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Resilience.Testing;

namespace Resilience.Bench.JetStream;

public sealed record CatchUp(int Published, TimeSpan PublishTime, TimeSpan CutNoticed, TimeSpan LinkBack, TimeSpan Complete, long OnHub, int Distinct)
{
    /// <summary>Messages per second from the moment the edge's leaf was back to the hub holding them all.</summary>
    public double Throughput => Published / Math.Max((Complete - LinkBack).TotalSeconds, 1e-3);
}

/// <summary>Measures the deployed hub/edge pair through its own subjects (observability.metrics.bench-*).</summary>
public sealed class TopologyBench(NatsConnection edge, NatsConnection hub, string edgeMonitor) : IDisposable
{
    private const string Stream = "observability-metrics";
    private readonly NatsJSContext _edge = new(edge);
    private readonly NatsJSContext _hub = new(hub);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    /// <summary>Acked publishes one at a time into the edge's own R1 stream.</summary>
    public async Task<Latencies> LocalPublishAsync(int count)
    {
        var latencies = new Latencies();
        var subject = "observability.metrics.bench-local";
        for (var i = -200; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            (await _edge.PublishAsync(subject, new byte[64], opts: new NatsJSPubOpts { MsgId = $"{_run}-local-{i}" })).EnsureSuccess();
            if (i >= 0) latencies.Add(Stopwatch.GetElapsedTime(start));
        }
        return latencies;
    }

    /// <summary>From the edge's publish call to the message arriving through an ordered consumer on the hub's stream.</summary>
    public async Task<Latencies> EdgeToHubAsync(int count, TimeSpan pause)
    {
        var subject = "observability.metrics.bench-cross";
        var latencies = new Latencies();
        var consumer = await _hub.CreateOrderedConsumerAsync(Stream, new NatsJSOrderedConsumerOpts { DeliverPolicy = ConsumerConfigDeliverPolicy.New });
        using var done = new CancellationTokenSource(TimeSpan.FromSeconds(60) + pause * count);
        var received = Task.Run(async () =>
        {
            await foreach (var msg in consumer.ConsumeAsync<byte[]>(cancellationToken: done.Token))
            {
                if (msg.Subject != subject || msg.Data is not { Length: 8 } data) continue;
                latencies.Add(Stopwatch.GetElapsedTime(BinaryPrimitives.ReadInt64LittleEndian(data)));
                if (latencies.Count == count) return;
            }
        });
        await Task.Delay(500); // the consumer is in place before the first publish
        var payload = new byte[8];
        for (var i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(payload, Stopwatch.GetTimestamp());
            (await _edge.PublishAsync(subject, payload, opts: new NatsJSPubOpts { MsgId = $"{_run}-cross-{i}" })).EnsureSuccess();
            await Task.Delay(pause);
        }
        await received;
        return latencies;
    }

    /// <summary>
    /// Cuts the leaf, waits until the edge notices, publishes the backlog on the edge (pipelined), restores the
    /// link and times until the hub's stream holds every message; then reads them back to count distinct ones.
    /// </summary>
    public async Task<CatchUp> CatchUpAsync(int backlog, string hubAddress, int leafPort)
    {
        var subject = "observability.metrics.bench-catchup";
        using var cut = new LeafPartition(hubAddress, leafPort);
        cut.Cut();
        var clock = Stopwatch.StartNew();
        while (await LeafCountAsync() != 0)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException("the edge did not notice the cut in 60 s");
            await Task.Delay(100);
        }
        var noticed = clock.Elapsed;

        var publishing = Stopwatch.StartNew();
        const int inFlight = 500;
        for (var start = 0; start < backlog; start += inFlight)
        {
            var batch = Enumerable.Range(start, Math.Min(inFlight, backlog - start)).Select(async i =>
                (await _edge.PublishAsync(subject, BitConverter.GetBytes(i), opts: new NatsJSPubOpts { MsgId = $"{_run}-catchup-{i}" })).EnsureSuccess());
            await Task.WhenAll(batch);
        }
        var publishTime = publishing.Elapsed;

        cut.Restore();
        var restored = Stopwatch.StartNew();
        TimeSpan? linkBack = null;
        long onHub = 0;
        while (restored.Elapsed < TimeSpan.FromSeconds(120))
        {
            if (linkBack is null && await LeafCountAsync() >= 1) linkBack = restored.Elapsed;
            onHub = await CountOnHubAsync(subject);
            if (onHub >= backlog) break;
            await Task.Delay(20);
        }
        var complete = restored.Elapsed;
        await Task.Delay(1000); // a duplicate would arrive right behind the last message
        onHub = await CountOnHubAsync(subject);
        var distinct = await DistinctOnHubAsync(subject);
        return new CatchUp(backlog, publishTime, noticed, linkBack ?? complete, complete, onHub, distinct);
    }

    private async Task<long> CountOnHubAsync(string subject)
    {
        var info = await _hub.GetStreamAsync(Stream, new StreamInfoRequest { SubjectsFilter = subject });
        return info.Info.State.Subjects is { } counts && counts.TryGetValue(subject, out var n) ? n : 0;
    }

    private async Task<int> DistinctOnHubAsync(string subject)
    {
        var last = (await _hub.GetStreamAsync(Stream)).Info.State.LastSeq;
        var seen = new HashSet<int>();
        var consumer = await _hub.CreateOrderedConsumerAsync(Stream);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await foreach (var msg in consumer.ConsumeAsync<byte[]>(cancellationToken: timeout.Token))
        {
            if (msg.Subject == subject && msg.Data is { Length: 4 } data) seen.Add(BitConverter.ToInt32(data));
            if (msg.Metadata?.Sequence.Stream >= last) break;
        }
        return seen.Count;
    }

    private async Task<int?> LeafCountAsync()
    {
        try
        {
            using var leafz = JsonDocument.Parse(await _http.GetStringAsync($"{edgeMonitor}/leafz"));
            return leafz.RootElement.GetProperty("leafnodes").GetInt32();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    public void Dispose() => _http.Dispose();
}
