using Resilience.Stack.Config;

namespace Resilience.IntegrationTests.Topology;

/// <summary>
/// The seeds' two-node option deployed by the engine: its preview carries the warning, and the test proves what it
/// warns about — with PC2's nats-server SIGKILLed, not one publish to MainPC's R2 stream is acked until PC2 is back.
/// </summary>
[Collection(TopologyCollection.Name)]
public sealed class TwoNodeTests(TwoNodeStacks stacks, ITestOutputHelper output) : IClassFixture<TwoNodeStacks>
{
    private const string Metrics = "observability-metrics";
    private const string Warning = "cannot survive the loss of either node";
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Preview_and_up_warn_in_human_json_and_markdown_output()
    {
        var human = await stacks.CliAsync("preview", "--stack", stacks.MainPcStack);
        Assert.True(human.ExitCode == 0, human.ToString());
        Assert.Contains("WARNING:", human.Stdout);
        Assert.Contains(Warning, Flat(human.Stdout)); // the console wraps long lines

        var json = await stacks.CliAsync("preview", "--stack", stacks.Stacks[Machines.Pc2], "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        var warnings = JsonNode.Parse(json.Stdout)!["warnings"]!.AsArray().Select(w => w!.GetValue<string>()).ToList();
        Assert.Contains(warnings, w => w.Contains(Warning, StringComparison.Ordinal));

        var markdown = await stacks.CliAsync("preview", "--stack", stacks.MainPcStack, "--markdown");
        Assert.Contains("> **WARNING:**", markdown.Stdout);

        var up = await stacks.UpAsync(Machines.Pc2); // nothing to change, still warned
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Contains(Warning, Flat(up.Stdout));
    }

    private static string Flat(string text) => string.Join(' ', text.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));

    [Fact]
    public async Task Switching_the_topology_is_previewed_with_the_old_and_new_topology_and_the_stream_changes()
    {
        try
        {
            stacks.WriteStackFile(stacks.MainPcStack, Machines.MainPc, NatsTopologies.Leafnode);
            var preview = await stacks.CliAsync("preview", "--stack", stacks.MainPcStack, "--json");
            Assert.True(preview.ExitCode == 0, preview.ToString());
            var plan = JsonNode.Parse(preview.Stdout)!;
            var warnings = plan["warnings"]!.AsArray().Select(w => w!.GetValue<string>()).ToList();
            output.WriteLine(string.Join("\n", warnings));
            Assert.Contains(warnings, w => w.Contains("natsTopology two-node -> leafnode", StringComparison.Ordinal));
            Assert.DoesNotContain(warnings, w => w.Contains(Warning, StringComparison.Ordinal));
            var streamSteps = plan["steps"]!.AsArray().Where(s => s!["urn"]!.GetValue<string>().Contains("jetstream:stream::", StringComparison.Ordinal)).ToList();
            output.WriteLine(string.Join("\n", streamSteps.Select(s => s!.ToJsonString())));
            // The R2 streams do not survive the switch: each is a replace that says it deletes data, not an update.
            var replicated = streamSteps.Where(s => s!["urn"]!.GetValue<string>().EndsWith("::observability-metrics", StringComparison.Ordinal)).ToList();
            Assert.Equal("replace", Assert.Single(replicated)!["kind"]!.GetValue<string>());
            Assert.True(replicated[0]!["deletesData"]?.GetValue<bool>(), replicated[0]!.ToJsonString());
            Assert.Contains(warnings, w => w.Contains("not carried over", StringComparison.Ordinal));
        }
        finally
        {
            stacks.WriteStackFile(stacks.MainPcStack, Machines.MainPc, NatsTopologies.TwoNode);
        }
    }

    [Fact]
    public async Task With_pc2_killed_no_publish_to_the_R2_stream_is_acked_until_pc2_is_back()
    {
        await using var nats = new NatsConnection(new NatsOpts { Url = stacks.NatsUrl(Machines.MainPc), RequestTimeout = TimeSpan.FromSeconds(2) });
        var js = new NatsJSContext(nats);
        const string subject = "observability.metrics.r2";

        var before = await CountAckedAsync(js, subject, "both-up", 200);
        output.WriteLine($"both nodes up: {before} of 200 publishes acked");
        Assert.Equal(200, before);

        stacks.Kill(Machines.Pc2);
        var clock = Stopwatch.StartNew();
        // Settle: wait for the first refused publish (the leader notices the lost peer), then count.
        while (clock.Elapsed < TimeSpan.FromSeconds(30) && await TryPublishAsync(js, subject, $"{_run}-settle-{clock.ElapsedMilliseconds}")) await Task.Delay(100);
        var settled = clock.Elapsed;
        var during = await CountAckedAsync(js, subject, "pc2-down", 10);
        output.WriteLine($"pc2 SIGKILLed: first refused publish {settled.TotalSeconds:0.00}s after the kill; then {during} of 10 publishes acked " +
            $"({clock.Elapsed.TotalSeconds:0.0}s after the kill)");
        Assert.Equal(0, during);

        await stacks.StartAsync(Machines.Pc2);
        var restarted = Stopwatch.StartNew();
        TimeSpan? back = null;
        // Settled again once 20 publishes in a row are acked: the first ack can come while the group still elects.
        for (var inARow = 0; inARow < 20 && restarted.Elapsed < TimeSpan.FromSeconds(60);)
        {
            if (await TryPublishAsync(js, subject, $"{_run}-back-{restarted.ElapsedMilliseconds}-{inARow}"))
            {
                back ??= restarted.Elapsed;
                inARow++;
            }
            else
            {
                inARow = 0;
                await Task.Delay(200);
            }
        }
        var after = await CountAckedAsync(js, subject, "pc2-back", 200);
        output.WriteLine($"pc2 started again: first acked publish {back?.TotalSeconds:0.00}s after docker start, 20 in a row {restarted.Elapsed.TotalSeconds:0.00}s; then {after} of 200 acked");
        Assert.Equal(200, after);
    }

    private async Task<int> CountAckedAsync(NatsJSContext js, string subject, string phase, int n)
    {
        var acked = 0;
        for (var i = 0; i < n; i++)
        {
            if (await TryPublishAsync(js, subject, $"{_run}-{phase}-{i}")) acked++;
        }
        return acked;
    }

    private static async Task<bool> TryPublishAsync(NatsJSContext js, string subject, string id)
    {
        try
        {
            var ack = await js.PublishAsync(subject, Encoding.UTF8.GetBytes(id), opts: new NatsJSPubOpts { MsgId = id });
            ack.EnsureSuccess();
            return true;
        }
        catch (Exception e) when (e is NatsException or TimeoutException or OperationCanceledException)
        {
            return false;
        }
    }
}
