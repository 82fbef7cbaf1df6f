using Resilience.Cli.Rendering;
using Resilience.Stack.Config;

namespace Resilience.IntegrationTests.Topology;

/// <summary>
/// The three-node topology deployed by the engine (three stacks, R3 streams declared by mainpc's) keeps acking
/// publishes when the node that leads the stream is SIGKILLed, after a short election that is measured; the
/// restarted node's replica catches up; every message is in the stream exactly once, counted by MsgId.
/// </summary>
[Collection(TopologyCollection.Name)]
public sealed class ThreeNodeTests(ThreeNodeStacks stacks, ITestOutputHelper output) : IClassFixture<ThreeNodeStacks>
{
    private const string Metrics = "observability-metrics";
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Status_shows_three_current_peers_a_meta_leader_and_R3_streams()
    {
        var status = await stacks.StatusAsync();
        for (var i = 0; i < 20 && !status.Healthy; i++)
        {
            await Task.Delay(1000);
            status = await stacks.StatusAsync();
        }
        output.WriteLine(status.ToText());
        Assert.True(status.Healthy, status.ToText());
        Assert.Equal(["mainpc", "pc2", "witness"], status.Machines.Select(m => m.Machine));
        var metaLeader = Assert.Single(status.Machines.Select(m => m.Cluster!.Leader).Distinct());
        var leaderView = status.Machines.Single(m => m.Machine == metaLeader).Cluster!;
        Assert.Equal(3, leaderView.Size);
        Assert.Equal(2, leaderView.Peers.Count(p => p.Healthy));
        var metrics = status.Machines[0].Streams.Single(s => s.Name == Metrics);
        Assert.NotNull(metrics.Leader);
        Assert.Equal(2, metrics.Replicas.Count);

        var cli = await stacks.CliAsync("status", "--stack", stacks.MainPcStack, "--json");
        Assert.True(cli.ExitCode == 0, cli.ToString());
        Assert.Contains("\"metaLeader\"", cli.Stdout);
    }

    [Fact]
    public async Task Killing_the_stream_leader_pauses_acks_only_for_the_election_and_the_restarted_replica_catches_up()
    {
        await using var nats = new NatsConnection(new NatsOpts { Url = stacks.ClusterUrl, RequestTimeout = TimeSpan.FromSeconds(2) });
        var js = new NatsJSContext(nats);
        const string subject = "observability.metrics.r3";
        var acked = new Dictionary<string, ulong>();

        for (var i = 0; i < 1000; i++) acked[$"{_run}-pre-{i}"] = await PublishAsync(js, subject, $"{_run}-pre-{i}");

        var leader = (await js.GetStreamAsync(Metrics)).Info.Cluster!.Leader!;
        output.WriteLine($"stream leader before the kill: {leader}");
        Assert.Contains(leader, stacks.Stacks.Keys);

        // Publish one message every 10 ms; a failed publish is retried with the same MsgId until acked, as a real
        // publisher does, so every message must end up stored exactly once.
        using var stop = new CancellationTokenSource();
        var attempts = new List<(TimeSpan At, bool Acked)>();
        var errors = new Dictionary<string, int>();
        var clock = Stopwatch.StartNew();
        var killedAt = TimeSpan.Zero;
        var publisher = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var id = $"{_run}-live-{i}";
                while (true)
                {
                    try
                    {
                        acked[id] = await PublishAsync(js, subject, id);
                        lock (attempts) attempts.Add((clock.Elapsed, true));
                        break;
                    }
                    catch (Exception e) when (e is NatsException or TimeoutException or OperationCanceledException)
                    {
                        lock (attempts)
                        {
                            attempts.Add((clock.Elapsed, false));
                            var kind = $"{e.GetType().Name}: {e.Message} (connected to {nats.ServerInfo?.Name ?? "none"})";
                            errors[kind] = errors.GetValueOrDefault(kind) + 1;
                        }
                        await Task.Delay(50);
                    }
                }
                await Task.Delay(10);
            }
        });

        await Task.Delay(2000);
        killedAt = clock.Elapsed;
        stacks.Kill(leader);
        var newLeader = await WaitForAsync(async () =>
        {
            try
            {
                var info = (await js.GetStreamAsync(Metrics)).Info;
                return info.Cluster?.Leader is { Length: > 0 } l && l != leader ? l : null;
            }
            catch (Exception e) when (e is NatsException or TimeoutException or OperationCanceledException)
            {
                return null;
            }
        }, TimeSpan.FromSeconds(30));
        var election = clock.Elapsed - killedAt;
        await Task.Delay(8000); // keep publishing on the two survivors
        var beforeRestart = clock.Elapsed;

        // Publishing goes on while the node comes back. Its replica has caught up when the stream leader reports it
        // current with no lag; measured from `docker start`.
        var restartedAt = clock.Elapsed;
        await stacks.StartAsync(leader);
        var answering = clock.Elapsed - restartedAt;
        await WaitForAsync(() => ReplicaCurrentAsync(js, leader), TimeSpan.FromSeconds(60));
        var catchUp = clock.Elapsed - restartedAt;
        await Task.Delay(1000);
        await stop.CancelAsync();
        await publisher;
        await WaitForAsync(() => ReplicaCurrentAsync(js, leader), TimeSpan.FromSeconds(30));

        // And from the restarted node's own store: its replica holds exactly what the stream leader holds.
        var stopped = clock.Elapsed;
        var whole = (await js.GetStreamAsync(Metrics)).Info.State;
        (ulong Messages, ulong LastSeq)? local = null;
        await TopologyStacks.WaitUntilAsync(async () =>
        {
            local = await stacks.LocalReplicaAsync(leader, Metrics);
            return local is { } l && l.Messages == (ulong)whole.Messages && l.LastSeq == whole.LastSeq;
        }, TimeSpan.FromSeconds(60), $"{leader}'s own replica of {Metrics} at {whole.Messages} messages");
        output.WriteLine($"{leader}'s own store: {local!.Value.Messages} messages, last seq {local.Value.LastSeq} = the leader's " +
            $"(matched {(clock.Elapsed - stopped).TotalSeconds:0.00}s after publishing stopped)");

        List<(TimeSpan At, bool Acked)> all;
        lock (attempts) all = attempts.ToList();
        var failed = all.Where(a => !a.Acked).ToList();
        var afterKill = all.Where(a => a.At >= killedAt && a.At < beforeRestart).ToList();
        var firstFailure = failed.Count > 0 ? failed.Min(f => f.At) - killedAt : TimeSpan.Zero;
        var lastFailure = failed.Count > 0 ? failed.Max(f => f.At) - killedAt : TimeSpan.Zero;
        var firstAckAfterFailures = failed.Count > 0 ? all.Where(a => a.Acked && a.At > failed.Max(f => f.At)).Select(a => a.At - killedAt).DefaultIfEmpty(TimeSpan.MaxValue).Min() : TimeSpan.Zero;
        output.WriteLine($"killed {leader} (stream leader); new stream leader {newLeader} seen {election.TotalSeconds:0.00}s after the kill");
        output.WriteLine($"publish attempts: {all.Count} total, {all.Count(a => a.Acked)} acked, {failed.Count} failed " +
            $"(failures from {firstFailure.TotalSeconds:0.00}s to {lastFailure.TotalSeconds:0.00}s after the kill; acks again from {firstAckAfterFailures.TotalSeconds:0.00}s)");
        lock (attempts) foreach (var (kind, n) in errors) output.WriteLine($"  {n} x {kind}");
        output.WriteLine($"between the kill and the restart: {afterKill.Count(a => a.Acked)} acked, {afterKill.Count(a => !a.Acked)} failed");
        output.WriteLine($"restarted {leader}: monitor answering {answering.TotalSeconds:0.00}s, replica current with lag 0 {catchUp.TotalSeconds:0.00}s after docker start");

        if (lastFailure >= TimeSpan.FromSeconds(15))
        {
            // Seen once in ~20 runs, cause unknown: what the servers said is the only lead.
            foreach (var machine in stacks.Stacks.Keys) output.WriteLine($"--- {machine} log tail ---\n{stacks.LogTail(machine, 60)}");
        }

        // Failures only during the election: none in the last 5 s before the restart, and acks kept coming then.
        var settled = all.Where(a => a.At >= beforeRestart - TimeSpan.FromSeconds(5) && a.At < beforeRestart).ToList();
        Assert.DoesNotContain(settled, a => !a.Acked);
        Assert.True(settled.Count(a => a.Acked) > 50, $"only {settled.Count(a => a.Acked)} acks in the 5 s before the restart");
        Assert.True(lastFailure < TimeSpan.FromSeconds(15), $"publishes failed until {lastFailure.TotalSeconds:0.0}s after the kill");

        var stored = await ReadAsync(js, subject);
        var count = DeliveryCount.Of(acked, stored, sourced: false);
        output.WriteLine($"stream {Metrics}/{subject}: {count}");
        Assert.True(count.Exact, count.ToString());
        Assert.Equal(acked.Values.Order(), acked.Values.Distinct().Order()); // one sequence per MsgId
    }

    private static async Task<object?> ReplicaCurrentAsync(NatsJSContext js, string node)
    {
        try
        {
            var replica = (await js.GetStreamAsync(Metrics)).Info.Cluster?.Replicas?.FirstOrDefault(r => r.Name == node);
            return replica is { Current: true, Offline: false } && replica.Lag == 0 ? replica : null;
        }
        catch (Exception e) when (e is NatsException or TimeoutException or OperationCanceledException)
        {
            return null;
        }
    }

    private static async Task<ulong> PublishAsync(NatsJSContext js, string subject, string id)
    {
        var ack = await js.PublishAsync(subject, Encoding.UTF8.GetBytes(id), opts: new NatsJSPubOpts { MsgId = id });
        ack.EnsureSuccess();
        return ack.Seq;
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, TimeSpan timeout) where T : class
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (await probe() is { } value) return value;
            await Task.Delay(100);
        }
        throw new TimeoutException($"not reached within {timeout.TotalSeconds}s");
    }

    /// <summary>Every message on the subject, read with an ordered consumer (filtered here: 2.9 drops filter_subjects).</summary>
    private static async Task<List<StoredMessage>> ReadAsync(NatsJSContext js, string subject)
    {
        var last = (await js.GetStreamAsync(Metrics)).Info.State.LastSeq;
        var messages = new List<StoredMessage>();
        var consumer = await js.CreateOrderedConsumerAsync(Metrics);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var msg in consumer.ConsumeAsync<byte[]>(cancellationToken: timeout.Token))
        {
            if (msg.Subject == subject)
            {
                var id = msg.Headers is { } h && h.TryGetValue("Nats-Msg-Id", out var v) ? v.ToString() : null;
                messages.Add(new StoredMessage(msg.Subject, Encoding.UTF8.GetString(msg.Data ?? []), id, null));
            }
            if (msg.Metadata?.Sequence.Stream >= last) break;
        }
        return messages;
    }
}
