using System.Globalization;
using Resilience.IntegrationTests.Engine;

namespace Resilience.IntegrationTests.Runtime;

/// <summary>
/// Both stacks deployed by the CLI with the runtime; a load generator pushes numbered samples to PC2's runtime; EdgeHub
/// is killed mid-load and started again, several times. The runtime must switch to CentralHub, come back after the
/// hold, and every accepted sample must be on CentralHub exactly once. All of it on the secured pair: the load pushes
/// over HTTPS as the pusher, /status and the hubs are read as the operator.
/// </summary>
public sealed class RuntimeFailoverTests(RuntimeStacks stacks, ITestOutputHelper output) : IClassFixture<RuntimeStacks>
{
    private const string EdgeHub = RuntimeStacks.Pc2 + "-edgehub";
    private const string CentralHub = RuntimeStacks.MainPc + "-centralhub";
    private const string Metric = "it_rt_sample";
    private const int Cycles = 3;
    private HttpClient Operator => stacks.Clients.Operator;

    [Fact]
    public async Task Killing_edgehub_moves_pc2s_runtime_to_centralhub_and_back_after_the_hold_losing_no_sample()
    {
        var outputs = CliJson.Object(await stacks.MustRunAsync("stack", "output", "--stack", RuntimeStacks.Pc2, "--json"));
        var ingest = new Uri((string)outputs["runtimeIngestUrl"]!);
        var status = new Uri((string)outputs["runtimeStatusUrl"]!);
        Assert.Equal(new Uri($"https://{RuntimeStacks.Pc2Address}:9095/metrics/job/"), ingest);
        var mainOutputs = CliJson.Object(await stacks.MustRunAsync("stack", "output", "--stack", RuntimeStacks.MainPc, "--json"));
        Assert.Equal($"https://{RuntimeStacks.MainPcAddress}:9095/status", (string?)mainOutputs["runtimeStatusUrl"]);
        ReportDeploy();
        var noop = await stacks.RunAsync("preview", "--stack", RuntimeStacks.Pc2, "--expect-no-changes");
        Assert.True(noop.ExitCode == 0, $"a second preview wants changes: {noop}");

        Assert.Equal("local-hub", await ActiveAsync(status));
        var central = new Uri($"https://{RuntimeStacks.MainPcAddress}:9000");
        Assert.Equal("remote-hub", (string?)(await StatusAsync(new Uri($"https://{RuntimeStacks.MainPcAddress}:9095/status")))["tiers"]![1]!["name"]);

        using var stop = new CancellationTokenSource();
        var load = new LoadGenerator(stacks.Clients.Pusher, new Uri(ingest, "it-rt-load"), Metric);
        var pushing = load.RunAsync(stop.Token);
        var failovers = new List<double>();
        var failbacks = new List<double>();
        try
        {
            for (var cycle = 0; cycle < Cycles; cycle++)
            {
                await Task.Delay(TimeSpan.FromSeconds(2));
                var killedAt = DateTimeOffset.UtcNow;
                var clock = Stopwatch.StartNew();
                Must(Tool.Run("docker", "kill", EdgeHub));
                await WaitForAsync(status, "remote-hub", TimeSpan.FromSeconds(15));
                failovers.Add(clock.Elapsed.TotalSeconds);
                var since = (string?)(await StatusAsync(status))["activeSince"];
                output.WriteLine($"cycle {cycle + 1}: failover seen by /status after {clock.Elapsed.TotalMilliseconds:0} ms" +
                                 (since is null ? "" : $"; runtime's activeSince - kill = {(DateTimeOffset.Parse(since, CultureInfo.InvariantCulture) - killedAt).TotalMilliseconds:0} ms"));
                Assert.False(DockerCli.IsRunning(EdgeHub), "EdgeHub came back by itself after docker kill");

                await Task.Delay(TimeSpan.FromSeconds(3));
                clock.Restart();
                Must(Tool.Run("docker", "start", EdgeHub));
                await WaitForAsync(status, "local-hub", TimeSpan.FromSeconds(60));
                failbacks.Add(clock.Elapsed.TotalSeconds);
                output.WriteLine($"cycle {cycle + 1}: fail-back {clock.Elapsed.TotalSeconds:0.00} s after docker start (hold {RuntimeStacks.FailbackHold.TotalSeconds} s)");
                Assert.True(clock.Elapsed >= RuntimeStacks.FailbackHold, $"failed back after {clock.Elapsed}, before the hold of {RuntimeStacks.FailbackHold}");
            }
        }
        finally
        {
            await stop.CancelAsync();
            await pushing;
        }

        output.WriteLine($"pushed {load.Accepted} samples accepted, {load.Refused.Count} refused; push latency p50 {load.Percentile(0.5):0.0} ms, p99 {load.Percentile(0.99):0.0} ms, max {load.Percentile(1):0.0} ms");
        output.WriteLine($"failover (kill -> /status shows remote-hub): median {Median(failovers):0.000} s over {Cycles}: {string.Join(", ", failovers.Select(f => f.ToString("0.000", CultureInfo.InvariantCulture)))}");
        output.WriteLine($"fail-back (start -> /status shows local-hub): median {Median(failbacks):0.00} s over {Cycles}: {string.Join(", ", failbacks.Select(f => f.ToString("0.00", CultureInfo.InvariantCulture)))}");
        Assert.Empty(load.Refused);
        Assert.True(load.Accepted > 100, $"only {load.Accepted} samples pushed");
        Assert.True((int)(await StatusAsync(status))["failovers"]! >= 2 * Cycles);

        // Every accepted sample is on CentralHub exactly once, in one series whichever way it came: forwarded by
        // EdgeHub, re-sent from EdgeHub's last seconds by the runtime (what a killed EdgeHub had not remote-written
        // never leaves it: Prometheus resends no WAL samples from before a restart), or written directly while EdgeHub
        // was down. The runtime stamps machine=pc2 as EdgeHub's scrape targets do, so the paths cannot split a series.
        var edge = new Uri($"https://{RuntimeStacks.Pc2Address}:9100");
        var clockAll = Stopwatch.StartNew();
        Dictionary<(int Seq, string Machine), int> onCentral = [], onEdge = [];
        while (true)
        {
            onCentral = await SamplesAsync(central);
            onEdge = await SamplesAsync(edge);
            if (onCentral.Keys.Select(k => k.Seq).Distinct().Count() >= load.Accepted || clockAll.Elapsed > TimeSpan.FromSeconds(60)) break;
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        var perSeq = onCentral.GroupBy(p => p.Key.Seq).ToDictionary(g => g.Key, g => g.Sum(p => p.Value));
        var edgeSeqs = onEdge.Keys.Select(k => k.Seq).ToHashSet();
        var resend = (await StatusAsync(status))["resend"]!;
        var missing = Enumerable.Range(1, load.Accepted).Where(i => !perSeq.ContainsKey(i)).ToList();
        var twice = perSeq.Where(p => p.Value > 1).Select(p => p.Key).Order().ToList();
        var labels = onCentral.Keys.Concat(onEdge.Keys).GroupBy(k => k.Machine).ToDictionary(g => g.Key == "" ? "(none)" : g.Key, g => g.Count());
        output.WriteLine($"CentralHub: {perSeq.Count} of {load.Accepted} accepted samples, missing {missing.Count}, more than once {twice.Count}; " +
                         $"EdgeHub: {edgeSeqs.Count}, so {perSeq.Count - edgeSeqs.Count} reached CentralHub only while EdgeHub was down; " +
                         $"series per machine label on both hubs: {string.Join(", ", labels.Select(l => $"{l.Key}: {l.Value}"))}");
        output.WriteLine($"re-sent by PC2's runtime: {resend["resent"]!.ToJsonString()}, window overflow {resend["overflow"]}, pending {resend["pendingSamples"]}");
        Assert.True(missing.Count == 0, $"{missing.Count} accepted samples never reached CentralHub: {string.Join(", ", missing.Take(50))}");
        Assert.True(twice.Count == 0, $"{twice.Count} samples are on CentralHub more than once: {string.Join(", ", twice.Take(50))}");
        Assert.Equal(Enumerable.Range(1, load.Accepted), perSeq.Keys.Order());
        Assert.Equal(["pc2"], labels.Keys);
        Assert.True(edgeSeqs.Count < load.Accepted, "EdgeHub holds every sample: nothing went to CentralHub directly");
        Assert.DoesNotContain(onCentral, p => p.Value != 1);
        Assert.DoesNotContain(onEdge, p => p.Value != 1);
    }

    /// <summary>
    /// The other direction: MainPC's runtime fails over to EdgeHub while CentralHub is down, and fails back once it is up.
    /// One series, so order matters: what EdgeHub took must reach CentralHub (EdgeHub forwards it when its retries get
    /// through, which can be after the fail-back and the newer samples written directly: CentralHub takes them late).
    /// </summary>
    [Fact]
    public async Task Killing_centralhub_parks_mainpcs_samples_on_edgehub_which_forwards_them_when_centralhub_is_back()
    {
        var status = new Uri($"https://{RuntimeStacks.MainPcAddress}:9095/status");
        var central = new Uri($"https://{RuntimeStacks.MainPcAddress}:9000");
        var edge = new Uri($"https://{RuntimeStacks.Pc2Address}:9100");
        await WaitForAsync(status, "local-hub", TimeSpan.FromSeconds(30));
        const string metric = "it_rt_main";

        using var stop = new CancellationTokenSource();
        var load = new LoadGenerator(stacks.Clients.Pusher, new Uri($"https://{RuntimeStacks.MainPcAddress}:9095/metrics/job/it-rt-main"), metric, seriesPerSample: false);
        var pushing = load.RunAsync(stop.Token);
        var clock = Stopwatch.StartNew();
        TimeSpan failedBack;
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            Must(Tool.Run("docker", "kill", CentralHub));
            await WaitForAsync(status, "remote-hub", TimeSpan.FromSeconds(15));
            await Task.Delay(TimeSpan.FromSeconds(5));
            Must(Tool.Run("docker", "start", CentralHub));
            var started = Stopwatch.StartNew();
            await WaitForAsync(status, "local-hub", TimeSpan.FromSeconds(60));
            failedBack = started.Elapsed;
            await Task.Delay(TimeSpan.FromSeconds(3));
        }
        finally
        {
            await stop.CancelAsync();
            await pushing;
        }
        Assert.Empty(load.Refused);

        // EdgeHub retries with backoff up to remoteWriteMaxBackoff (30 s): allow it that and more.
        var waited = Stopwatch.StartNew();
        var onCentral = await SeriesValuesAsync(central, metric);
        while (onCentral.Values.Count < load.Accepted && waited.Elapsed < TimeSpan.FromSeconds(90))
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            onCentral = await SeriesValuesAsync(central, metric);
        }
        var onEdge = await SeriesValuesAsync(edge, metric);
        output.WriteLine($"pushed {load.Accepted} samples to MainPC's runtime in {clock.Elapsed.TotalSeconds:0.0} s; fail-back {failedBack.TotalSeconds:0.0} s " +
                         $"after docker start; EdgeHub took {onEdge.Values.Count}; CentralHub holds {onCentral.Values.Count} " +
                         $"({waited.Elapsed.TotalSeconds:0.0} s after the load stopped), series labels: {string.Join(", ", onCentral.Machines)}");
        Assert.True(onEdge.Values.Count > 0, "nothing went to EdgeHub: the test did not exercise the failover");
        Assert.Equal(["mainpc"], onCentral.Machines);
        // By timestamp, the values come back exactly as pushed: in order, none missing, none twice.
        Assert.Equal(Enumerable.Range(1, load.Accepted).Select(i => (double)i), onCentral.Values);
    }

    private async Task<(List<double> Values, List<string> Machines)> SeriesValuesAsync(Uri hub, string metric)
    {
        var query = $"{metric}[30m]";
        var body = JsonNode.Parse(await Operator.GetStringAsync(new Uri(hub, $"/api/v1/query?query={Uri.EscapeDataString(query)}")))!;
        var points = new List<(double Time, double Value)>();
        var machines = new List<string>();
        foreach (var series in body["data"]!["result"]!.AsArray())
        {
            machines.Add((string?)series!["metric"]!["machine"] ?? "(none)");
            points.AddRange(series["values"]!.AsArray().Select(p => (p![0]!.GetValue<double>(), double.Parse(p[1]!.GetValue<string>(), CultureInfo.InvariantCulture))));
        }
        return (points.OrderBy(p => p.Time).Select(p => p.Value).ToList(), machines);
    }

    /// <summary>How many samples a hub holds per (seq, machine label) of the load's metric.</summary>
    private async Task<Dictionary<(int Seq, string Machine), int>> SamplesAsync(Uri hub)
    {
        var query = $"count_over_time({Metric}[30m])";
        var body = JsonNode.Parse(await Operator.GetStringAsync(new Uri(hub, $"/api/v1/query?query={Uri.EscapeDataString(query)}")))!;
        var result = new Dictionary<(int, string), int>();
        foreach (var series in body["data"]!["result"]!.AsArray())
        {
            var labels = series!["metric"]!;
            var key = (int.Parse((string)labels["seq"]!, CultureInfo.InvariantCulture), (string?)labels["machine"] ?? "");
            result[key] = result.GetValueOrDefault(key) + int.Parse(series["value"]![1]!.GetValue<string>(), CultureInfo.InvariantCulture);
        }
        return result;
    }

    /// <summary>
    /// What the tests above call answers only its users over HTTPS: the runtime's ingest and /status (Kestrel) and the
    /// hubs' query API (Prometheus) refuse plain HTTP and anonymous calls, and each role only its own endpoints.
    /// </summary>
    [Fact]
    public async Task The_runtime_and_the_hubs_refuse_plain_http_and_anonymous_calls()
    {
        var clients = stacks.Clients;
        using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var ingest = new Uri($"https://{RuntimeStacks.Pc2Address}:9095/metrics/job/it-rt-refusal");
        var status = new Uri($"https://{RuntimeStacks.Pc2Address}:9095/status");
        const string sample = "it_rt_refusal 1\n";
        var answers = new (string What, string Answer, string[] Expected)[]
        {
            ("ingest, pusher", await RuntimeClients.AnswerAsync(clients.Pusher, HttpMethod.Post, ingest, sample), ["200"]),
            ("ingest, anonymous", await RuntimeClients.AnswerAsync(clients.Anonymous, HttpMethod.Post, ingest, sample), ["401"]),
            ("ingest, operator", await RuntimeClients.AnswerAsync(clients.Operator, HttpMethod.Post, ingest, sample), ["403"]),
            ("ingest, plain http", await RuntimeClients.AnswerAsync(plain, HttpMethod.Post, RuntimeClients.Plain(ingest), sample), ["400", "error:"]),
            ("status, operator", await RuntimeClients.AnswerAsync(clients.Operator, HttpMethod.Get, status), ["200"]),
            ("status, anonymous", await RuntimeClients.AnswerAsync(clients.Anonymous, HttpMethod.Get, status), ["401"]),
            ("status, pusher", await RuntimeClients.AnswerAsync(clients.Pusher, HttpMethod.Get, status), ["403"]),
        }.ToList();
        foreach (var hub in new[] { $"https://{RuntimeStacks.MainPcAddress}:9000", $"https://{RuntimeStacks.Pc2Address}:9100" })
        {
            var query = new Uri($"{hub}/api/v1/query?query=up");
            answers.Add(($"{hub} query, operator", await RuntimeClients.AnswerAsync(clients.Operator, HttpMethod.Get, query), ["200"]));
            answers.Add(($"{hub} query, anonymous", await RuntimeClients.AnswerAsync(clients.Anonymous, HttpMethod.Get, query), ["401"]));
            answers.Add(($"{hub} query, plain http", await RuntimeClients.AnswerAsync(plain, HttpMethod.Get, RuntimeClients.Plain(query)), ["400", "error:"]));
        }
        foreach (var (what, answer, _) in answers) output.WriteLine($"{what}: {answer}");
        Assert.All(answers, a => Assert.True(a.Expected.Any(e => a.Answer == e || (e.EndsWith(':') && a.Answer.StartsWith(e, StringComparison.Ordinal))),
            $"{a.What}: {a.Answer}, expected {string.Join(" or ", a.Expected)}"));
    }

    /// <summary>Started as root to read its 0600 config, each runtime runs as nobody from then on.</summary>
    [Fact]
    public void Each_runtime_gives_root_up_after_reading_its_config()
    {
        foreach (var stack in new[] { RuntimeStacks.MainPc, RuntimeStacks.Pc2 })
        {
            var pid = DockerCli.Inspect(stack + "-runtime", "{{.State.Pid}}");
            var status = File.ReadAllLines($"/proc/{pid}/status");
            string[] Ids(string key) => status.Single(l => l.StartsWith(key + ":", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[1..];
            output.WriteLine($"{stack}: Uid {string.Join(' ', Ids("Uid"))}, Gid {string.Join(' ', Ids("Gid"))}, Groups [{string.Join(' ', Ids("Groups"))}]");
            Assert.All(Ids("Uid"), id => Assert.Equal("65534", id)); // real, effective, saved, filesystem
            Assert.All(Ids("Gid"), id => Assert.Equal("65534", id));
            Assert.Empty(Ids("Groups"));
        }
    }

    [Fact]
    public async Task A_changed_runtime_config_restarts_the_same_container()
    {
        const string container = RuntimeStacks.Pc2 + "-runtime";
        var id = DockerCli.Inspect(container, "{{.Id}}");
        var started = DockerCli.Inspect(container, "{{.State.StartedAt}}");
        await stacks.SetFailbackHoldAsync(RuntimeStacks.Pc2, TimeSpan.FromSeconds(6));
        try
        {
            var preview = await stacks.MustRunAsync("preview", "--stack", RuntimeStacks.Pc2, "--json");
            Assert.Equal("reload", CliJson.StepKinds(preview)[$"urn:resilience:{RuntimeStacks.Pc2}::docker:container::runtime"]);
            await stacks.MustRunAsync("up", "--stack", RuntimeStacks.Pc2, "--yes", "--json");
            Assert.Equal(id, DockerCli.Inspect(container, "{{.Id}}"));
            Assert.NotEqual(started, DockerCli.Inspect(container, "{{.State.StartedAt}}"));
            Assert.Contains("failbackHold: 6s", File.ReadAllText(stacks.Project.PathOf($"var/{RuntimeStacks.Pc2}/runtime/runtime.yaml")));
            Assert.Equal("local-hub", await ActiveAsync(new Uri($"https://{RuntimeStacks.Pc2Address}:9095/status")));
        }
        finally
        {
            await stacks.SetFailbackHoldAsync(RuntimeStacks.Pc2, RuntimeStacks.FailbackHold);
            await stacks.MustRunAsync("up", "--stack", RuntimeStacks.Pc2, "--yes", "--json");
        }
    }

    private void ReportDeploy()
    {
        foreach (var (stack, took) in stacks.ColdDeploy) output.WriteLine($"cold deploy {stack}: {took.TotalSeconds:0.0} s");
        foreach (var stack in new[] { RuntimeStacks.MainPc, RuntimeStacks.Pc2 })
        {
            var publish = stacks.Outputs(stack, $"urn:resilience:{stack}::dotnet:publish::runtime");
            var image = stacks.Outputs(stack, $"urn:resilience:{stack}::docker:image::runtime");
            output.WriteLine($"{stack}: publish {publish["seconds"]} s (reused: {publish["reused"]}), binary {publish["sizeBytes"]} bytes, image {image["sizeBytes"]} bytes");
        }
    }

    private static void Must(Tool.Result result) => Assert.True(result.ExitCode == 0, result.ToString());

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private async Task<JsonObject> StatusAsync(Uri status) => JsonNode.Parse(await Operator.GetStringAsync(status))!.AsObject();

    private async Task<string?> ActiveAsync(Uri status) => (string?)(await StatusAsync(status))["active"];

    private async Task WaitForAsync(Uri status, string tier, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        string? active = null;
        while (clock.Elapsed < limit)
        {
            active = await ActiveAsync(status);
            if (active == tier) return;
            await Task.Delay(20);
        }
        Assert.Fail($"the runtime did not switch to {tier} within {limit.TotalSeconds} s (active: {active})");
    }

    /// <summary>
    /// Pushes one numbered sample at a time, as fast as the runtime answers (paced to ~100/s): each in its own series
    /// (label seq) or all in one.
    /// </summary>
    private sealed class LoadGenerator(HttpClient http, Uri target, string metric, bool seriesPerSample = true)
    {
        private readonly List<double> _latencies = [];

        public int Accepted { get; private set; }
        public List<string> Refused { get; } = [];

        public async Task RunAsync(CancellationToken ct)
        {
            for (var seq = 1; !ct.IsCancellationRequested; seq++)
            {
                var body = seriesPerSample ? $"# TYPE {metric} gauge\n{metric}{{seq=\"{seq}\"}} {seq}\n" : $"# TYPE {metric} gauge\n{metric} {seq}\n";
                var clock = Stopwatch.StartNew();
                try
                {
                    using var response = await http.PostAsync(target, new StringContent(body, Encoding.UTF8, "text/plain"), CancellationToken.None);
                    _latencies.Add(clock.Elapsed.TotalMilliseconds);
                    if (response.IsSuccessStatusCode) Accepted++;
                    else Refused.Add($"{seq}: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(CancellationToken.None)}");
                }
                catch (HttpRequestException e)
                {
                    Refused.Add($"{seq}: {e.Message}");
                }
                try
                {
                    await Task.Delay(10, ct);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }

        public double Percentile(double p)
        {
            if (_latencies.Count == 0) return 0;
            var sorted = _latencies.Order().ToList();
            return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1 < 0 ? 0 : (int)Math.Ceiling(p * sorted.Count) - 1)];
        }
    }
}
