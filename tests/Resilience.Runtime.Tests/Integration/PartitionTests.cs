namespace Resilience.Runtime.Tests.Integration;

[Trait("Category", "Integration")]
public sealed class PartitionTests(ITestOutputHelper output) : ServerTest
{
    private static readonly string MainAddress = LoopbackAddresses.For("runtime-partition-mainpc");
    private static readonly string Pc2Address = LoopbackAddresses.For("runtime-partition-pc2");
    private static readonly TimeSpan DetectionLimit = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Both_sides_report_the_partition_keep_working_locally_and_agree_after_healing()
    {
        await using var m = await TwoMachines.StartAsync(MainAddress, Pc2Address, Dir.Path);
        // Before the cut: each side sees all four agents up, and the two views are the same.
        await TwoMachines.WaitAsync(async () => await ViewsAgreeAsync(m, 4), TimeSpan.FromSeconds(30), "the health views to agree before the cut");
        Assert.False((await TwoMachines.PartitionAsync(m.Main)).GetProperty("partitioned").GetBoolean());
        var mainAgentABefore = await EntryAsync(m.Pc2, "mainpc", "agent-a");

        using var pushing = new CancellationTokenSource();
        var run = Guid.NewGuid().ToString("N");
        var pushers = new[] { Pusher(m.Main, run, pushing.Token), Pusher(m.Pc2, run, pushing.Token) };

        await Task.Delay(500);
        m.Partition.Cut(); // four iptables runs: timed from when all are in place
        var cut = Stopwatch.StartNew();
        var detected = await Task.WhenAll(DetectAsync(m.Main, cut), DetectAsync(m.Pc2, cut));
        output.WriteLine($"partition detected after: mainpc {detected[0].TotalMilliseconds:0} ms, pc2 {detected[1].TotalMilliseconds:0} ms");
        Assert.All(detected, d => Assert.True(d <= DetectionLimit, $"detected after {d}"));
        Assert.Equal(1, await m.Main.MetricAsync("resilience_partitioned"));
        Assert.True(await m.Pc2.MetricAsync("resilience_partition_started_seconds") > 0);

        // During the cut the agents change; each side sees its own changes at once, the peer's not at all.
        m.MainAgents["agent-a"].Healthy = false;
        m.Pc2Agents["agent-a"].Healthy = false;
        await WaitStatusAsync(m.Main, "mainpc", "agent-a", "down");
        await WaitStatusAsync(m.Pc2, "pc2", "agent-a", "down");
        m.MainAgents["agent-a"].Healthy = true;
        m.Pc2Agents["agent-b"].Healthy = false;
        await WaitStatusAsync(m.Main, "mainpc", "agent-a", "up");
        await WaitStatusAsync(m.Pc2, "pc2", "agent-b", "down");
        m.MainAgents["agent-b"].Healthy = false;
        await WaitStatusAsync(m.Main, "mainpc", "agent-b", "down");
        await Task.Delay(1000);
        Assert.Equal(mainAgentABefore.GetRawText(), (await EntryAsync(m.Pc2, "mainpc", "agent-a")).GetRawText());
        Assert.Equal("up", (await EntryAsync(m.Main, "pc2", "agent-a")).GetProperty("status").GetString());
        Assert.True((await TwoMachines.PartitionAsync(m.Pc2)).GetProperty("partitioned").GetBoolean());

        // Long enough for the leaf's pings (2 s x 2) to drop the link: the peer's JetStream then has no responders.
        while (cut.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(100);
        }
        var pc2Partition = await TwoMachines.PartitionAsync(m.Pc2);
        Assert.True(pc2Partition.GetProperty("partitioned").GetBoolean());
        output.WriteLine($"pc2's last peer probe 10 s into the cut: {pc2Partition.GetProperty("lastProbe").GetRawText()}");

        // Pushes went on locally the whole time, straight to the local hub.
        pushing.Cancel();
        var pushed = await Task.WhenAll(pushers);
        output.WriteLine($"pushes during the test: mainpc {pushed[0].Ok} ok / {pushed[0].Failed} failed (max {pushed[0].MaxMs:0} ms), pc2 {pushed[1].Ok} ok / {pushed[1].Failed} failed (max {pushed[1].MaxMs:0} ms)");
        Assert.All(pushed, p => Assert.Equal(0, p.Failed));
        Assert.All(pushed, p => Assert.True(p.Ok > 20, $"only {p.Ok} pushes"));
        foreach (var rt in new[] { m.Main, m.Pc2 })
        {
            // The remote hub is behind the cut: the tier monitor has it down, so nothing would be sent there.
            using (var status = await rt.StatusAsync())
            {
                var remote = status.RootElement.GetProperty("tiers").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "remote-hub");
                Assert.False(remote.GetProperty("up").GetBoolean());
            }
            Assert.Equal("local-hub", await rt.ActiveTierAsync());
        }

        var healed = Stopwatch.StartNew();
        m.Partition.Heal();
        await TwoMachines.WaitAsync(async () => !(await TwoMachines.PartitionAsync(m.Main)).GetProperty("partitioned").GetBoolean()
            && !(await TwoMachines.PartitionAsync(m.Pc2)).GetProperty("partitioned").GetBoolean(), TimeSpan.FromSeconds(10), "both sides to see the heal");
        output.WriteLine($"heal noticed after {healed.Elapsed.TotalMilliseconds:0} ms");
        await TwoMachines.WaitAsync(async () => await ViewsAgreeAsync(m, 4), TimeSpan.FromSeconds(60), "the health views to agree after healing");
        output.WriteLine($"views agree {healed.Elapsed.TotalMilliseconds:0} ms after healing:\n{await TwoMachines.HealthViewAsync(m.Main)}");
        Assert.Equal("down", (await EntryAsync(m.Pc2, "mainpc", "agent-b")).GetProperty("status").GetString());
        Assert.Equal("down", (await EntryAsync(m.Main, "pc2", "agent-b")).GetProperty("status").GetString());

        // Replayed: the peer events received after the heal whose time falls in the gap — exactly those the peer
        // published during it (3 by MainPC, 2 by PC2), as its own stream records them.
        var expectedOnPc2 = await EventsInGapAsync(m.MainNats, "observability-health", "observability.health.mainpc", m.Pc2);
        var expectedOnMain = await EventsInGapAsync(m.Pc2Nats, "observability-health", "observability.health.pc2", m.Main);
        Assert.Equal(3, expectedOnPc2);
        Assert.Equal(2, expectedOnMain);
        await TwoMachines.WaitAsync(async () =>
            (await TwoMachines.PartitionAsync(m.Pc2)).GetProperty("lastGap").GetProperty("replayedEvents").GetInt64() == expectedOnPc2
            && (await TwoMachines.PartitionAsync(m.Main)).GetProperty("lastGap").GetProperty("replayedEvents").GetInt64() == expectedOnMain,
            TimeSpan.FromSeconds(10), "the replayed counts");
        Assert.Equal(expectedOnPc2, await m.Pc2.MetricAsync("resilience_partition_replayed_events"));
        Assert.Equal(expectedOnMain, await m.Main.MetricAsync("resilience_partition_replayed_events"));
        foreach (var rt in new[] { m.Main, m.Pc2 })
        {
            var gap = (await TwoMachines.PartitionAsync(rt)).GetProperty("lastGap");
            output.WriteLine($"{rt.Config.Machine}: gap {gap.GetProperty("seconds").GetDouble():0.00} s, replayed {gap.GetProperty("replayedEvents").GetInt64()}");
            Assert.InRange(gap.GetProperty("seconds").GetDouble(), 8, 120);
            Assert.True(await rt.MetricAsync("resilience_partition_last_gap_seconds") > 8);
        }

        // Start and end of the partition were published on each side's failover subject.
        foreach (var (client, machine) in new[] { (m.MainNats, "mainpc"), (m.Pc2Nats, "pc2") })
        {
            await TwoMachines.WaitAsync(async () => (await TwoMachines.ReadStreamAsync(client, "observability-alerts", "observability.alerts.failover"))
                .Count(e => e.TryGetProperty("kind", out var k) && k.GetString() == "partition" && e.GetProperty("machine").GetString() == machine) == 2,
                TimeSpan.FromSeconds(10), $"{machine}'s partition start and end events");
            var events = (await TwoMachines.ReadStreamAsync(client, "observability-alerts", "observability.alerts.failover"))
                .Where(e => e.TryGetProperty("kind", out var k) && k.GetString() == "partition" && e.GetProperty("machine").GetString() == machine).ToList();
            Assert.Equal(["start", "end"], events.Select(e => e.GetProperty("state").GetString()));
        }

        // Every sample pushed during the test is on the pushing machine's own hub.
        Assert.Equal(pushed[0].Ok, (await Servers.QueryValuesAsync(Http, m.HubUrl(MainAddress), $"loadgen_value{{run=\"{run}\",job=\"mainpc\"}}")).Count);
        Assert.Equal(pushed[1].Ok, (await Servers.QueryValuesAsync(Http, m.HubUrl(Pc2Address), $"loadgen_value{{run=\"{run}\",job=\"pc2\"}}")).Count);
    }

    private sealed record PushCount(int Ok, int Failed, double MaxMs);

    private static async Task<PushCount> Pusher(RuntimeUnderTest runtime, string run, CancellationToken stop)
    {
        int ok = 0, failed = 0, value = 0;
        double max = 0;
        while (!stop.IsCancellationRequested)
        {
            var watch = Stopwatch.StartNew();
            using var response = await runtime.PushAsync(runtime.Config.Machine, run, ++value);
            max = Math.Max(max, watch.Elapsed.TotalMilliseconds);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                ok++;
            }
            else
            {
                failed++;
            }
            await Task.Delay(50, CancellationToken.None);
        }
        return new PushCount(ok, failed, max);
    }

    private static async Task<TimeSpan> DetectAsync(RuntimeUnderTest runtime, Stopwatch cut)
    {
        await TwoMachines.WaitAsync(async () => (await TwoMachines.PartitionAsync(runtime)).GetProperty("partitioned").GetBoolean(),
            TimeSpan.FromSeconds(15), $"{runtime.Config.Machine} to report the partition");
        return cut.Elapsed;
    }

    private static async Task<bool> ViewsAgreeAsync(TwoMachines m, int entries)
    {
        var main = await TwoMachines.HealthViewAsync(m.Main);
        var pc2 = await TwoMachines.HealthViewAsync(m.Pc2);
        using var doc = JsonDocument.Parse(main);
        return main == pc2 && doc.RootElement.GetArrayLength() == entries;
    }

    private static async Task<JsonElement> EntryAsync(RuntimeUnderTest runtime, string machine, string agent)
    {
        using var doc = JsonDocument.Parse(await runtime.Http.GetStringAsync("/health"));
        return doc.RootElement.GetProperty("agents").EnumerateArray()
            .Single(e => e.GetProperty("machine").GetString() == machine && e.GetProperty("agent").GetString() == agent).Clone();
    }

    private static Task WaitStatusAsync(RuntimeUnderTest runtime, string machine, string agent, string status) =>
        TwoMachines.WaitAsync(async () => (await EntryAsync(runtime, machine, agent)).GetProperty("status").GetString() == status,
            TimeSpan.FromSeconds(5), $"{runtime.Config.Machine} to see {machine}/{agent} {status}");

    private static async Task<int> EventsInGapAsync(NATS.Net.NatsClient origin, string stream, string subject, RuntimeUnderTest receiver)
    {
        var gap = (await TwoMachines.PartitionAsync(receiver)).GetProperty("lastGap");
        var since = gap.GetProperty("since").GetDateTimeOffset();
        var until = gap.GetProperty("until").GetDateTimeOffset();
        var events = await TwoMachines.ReadStreamAsync(origin, stream, subject);
        return events.Count(e => e.GetProperty("at").GetDateTimeOffset() is var at && at >= since && at <= until);
    }
}
