using System.Text.Json;
using System.Threading.Channels;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.KeyValueStore;
using NATS.Net;
using Resilience.Runtime.Config;
using Resilience.Runtime.Health;

namespace Resilience.Runtime.Publishing;

/// <summary>
/// Publishes every decision so agents need no failover logic: the KV entry <c>&lt;bucket&gt;/&lt;machine&gt;</c>
/// holds the active target, and each switch is an event on the failover subject (JetStream with a Nats-Msg-Id
/// when a stream covers it, plain NATS otherwise). Events wait in a bounded queue while NATS is unreachable.
/// </summary>
public sealed class DecisionPublisher : BackgroundService
{
    private readonly RuntimeConfig _config;
    private readonly HealthMonitor _monitor;
    private readonly NatsLinkState _state;
    private readonly NatsSession _connection;
    private readonly ILogger<DecisionPublisher> _log;
    private readonly Channel<FailoverEvent> _events = Channel.CreateBounded<FailoverEvent>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });

    public DecisionPublisher(RuntimeConfig config, HealthMonitor monitor, NatsLinkState state, NatsSession connection, ILogger<DecisionPublisher> log)
    {
        _connection = connection;
        _config = config;
        _monitor = monitor;
        _state = state;
        _log = log;
        _monitor.Switched += e =>
        {
            Volatile.Write(ref _lastSwitch, e);
            _events.Writer.TryWrite(e);
        };
    }

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        if (_config.Nats is not { } nats || _connection.Client is not { } client)
        {
            return;
        }
        var publishing = PublishLoopAsync(client, nats, stop);
        while (!stop.IsCancellationRequested)
        {
            _state.Up = _connection.IsOpen;
            await Task.Delay(TimeSpan.FromMilliseconds(500), stop).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        _state.Up = false;
        await publishing.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task PublishLoopAsync(NatsClient client, NatsConfig nats, CancellationToken stop)
    {
        var js = client.CreateJetStreamContext();
        INatsKVStore? store = null;
        FailoverEvent? pending = null;
        // The KV entry is the current state, the events are history: a KV that cannot be written (bucket deleted, its
        // one replica on a dead node) must not hold the events back, and is rewritten from the current state later.
        var kvStale = true;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (pending is null)
                {
                    using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop);
                    if (kvStale) wait.CancelAfter(TimeSpan.FromSeconds(1));
                    try
                    {
                        pending = await _events.Reader.ReadAsync(wait.Token);
                    }
                    catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                    {
                    }
                }
                if (pending is not null)
                {
                    await PublishEventAsync(client, js, nats, pending, stop);
                    pending = null;
                    kvStale = true;
                }
                if (kvStale)
                {
                    try
                    {
                        store ??= await client.CreateKeyValueStoreContext().CreateOrUpdateStoreAsync(new NatsKVConfig(nats.KvBucket) { History = 10 }, stop);
                        await PutActiveAsync(store, stop);
                        kvStale = false;
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
                    {
                        store = null; // re-created at the next try: the bucket may be gone
                        _log.LogWarning("NATS KV {Bucket} put failed, retrying: {Error}", nats.KvBucket, e.Message);
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _log.LogWarning("NATS publish failed, retrying: {Error}", e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), stop).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private readonly MsgIdPublisher _publisher = new();
    private FailoverEvent? _lastSwitch;

    private FailoverEvent? LastSwitch => Volatile.Read(ref _lastSwitch);

    /// <summary>The current decision, with the time and reason of the switch that made it (or "start").</summary>
    private async Task PutActiveAsync(INatsKVStore store, CancellationToken stop)
    {
        var snapshot = _monitor.Snapshot();
        var url = snapshot.Active == _monitor.BufferIndex ? null : _config.Tiers[snapshot.Active].Url.ToString();
        var last = LastSwitch;
        var current = last is not null && last.To == snapshot.ActiveName ? last : null;
        var target = new ActiveTarget(_config.Machine, snapshot.ActiveName, url, IngestUrl(),
            current?.At ?? snapshot.ActiveSince ?? DateTimeOffset.UtcNow, current?.Reason ?? "start");
        await store.PutAsync(_config.Machine, JsonSerializer.SerializeToUtf8Bytes(target, JsonOptions.Web), cancellationToken: stop);
    }

    private Task PublishEventAsync(NatsClient client, INatsJSContext js, NatsConfig nats, FailoverEvent change, CancellationToken stop) =>
        _publisher.PublishAsync(client, js, nats.FailoverSubject, JsonSerializer.SerializeToUtf8Bytes(change, JsonOptions.Web),
            $"{change.Machine}-failover-{change.At.ToUnixTimeMilliseconds()}-{change.Sequence}", stop);

    private string IngestUrl() => new Uri(_config.Listen, "/metrics/job/").ToString();
}
