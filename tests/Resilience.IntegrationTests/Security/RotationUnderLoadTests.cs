using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Resilience.IntegrationTests.Engine;
using Resilience.IntegrationTests.Topology;
using Resilience.Security.Certificates;
using Resilience.Security.Passwords;
using Resilience.Stack.Config;

namespace Resilience.IntegrationTests.Security;

/// <summary>
/// Issue 16's rotation, live: both stacks of a pair (securityMaterial auto, the material made by the first `up`) on
/// addresses of their own, an agent pushing a counter sample to PC2's runtime every 100 ms and an agent publishing
/// sequence-numbered messages on PC2's NATS, each with the credential its stack file holds at that moment, while
/// `rotate --what all` replaces every certificate and credential of the pair. Afterwards every sample is on CentralHub,
/// every message is in PC2's stream and MainPC's sourced copy exactly once, the old generation is refused and the new
/// one accepted, and the whole rotation took less than the seeds' 10 minutes. A request that fails is retried with the
/// same sample or Msg-Id, as real clients do; the retries are counted and printed, and one still failing after 90 s is
/// a loss.
/// </summary>
[Trait("Category", "Integration")]
public sealed partial class RotationUnderLoadTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string MainStack = "it-rot-mainpc";
    private const string EdgeStack = "it-rot-pc2";
    private const string Metric = "rotation_load_counter";
    private const string Job = "rotation_load";
    private static readonly string MainAddress = LoopbackAddresses.For("rot-mainpc");
    private static readonly string EdgeAddress = LoopbackAddresses.For("rot-pc2");
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan SeedsLimit = TimeSpan.FromMinutes(10);
    private readonly TempProject _project = new();
    private readonly Dictionary<string, string> _env = new();

    private Task<CliRunner.Result> Cli(params string[] args) => CliRunner.RunAsync(_project.Dir, _env, CommandTimeout, args);

    public Task InitializeAsync()
    {
        // The project holds only this pair: rotate writes every stack file of the pair the project holds.
        foreach (var committed in new[] { "mainpc", "pc2", "witness" }) File.Delete(_project.PathOf($"Pulumi.{committed}.yaml"));
        _env["PULUMI_CONFIG_PASSPHRASE"] = "rotation-under-load-passphrase";
        _env["RESILIENCE_BACKEND_URL"] = $"file://{_project.PathOf("state")}";
        foreach (var (stack, machine) in new[] { (MainStack, Machines.MainPc), (EdgeStack, Machines.Pc2) })
        {
            // No demo fleet: the load is the test's own two agents. securityMaterial is set here, whatever Pulumi.yaml's default.
            _project.Write($"Pulumi.{stack}.yaml", $"""
                config:
                  resilience:machine: {machine}
                  resilience:securityMaterial: auto
                  resilience:agentRestartCommand: true {"{program}"}
                  resilience:rolloutWeek: 1
                  resilience:mainpcAddress: {MainAddress}
                  resilience:pc2Address: {EdgeAddress}
                """ + "\n");
            DockerCli.RemoveLabelled(stack);
        }
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => StackTeardown.DestroyAsync(Cli, _project, EdgeStack, MainStack);

    [Fact]
    public async Task Rotating_everything_under_a_steady_push_and_publish_load_loses_nothing_and_retires_the_old_generation()
    {
        foreach (var stack in new[] { MainStack, EdgeStack })
        {
            var clock = Stopwatch.StartNew();
            var up = await Cli("up", "--stack", stack, "--yes");
            Assert.True(up.ExitCode == 0, $"up {stack}: {up}");
            output.WriteLine($"up {stack}: {clock.Elapsed.TotalSeconds:0.0} s");
        }
        var edge = new StackFileSecurity(_project.Dir, EdgeStack, _env);
        var before = edge.Current;
        var ingest = new Uri($"https://{EdgeAddress}:9095/metrics/job/{Job}");
        var centralHub = $"https://{MainAddress}:9000";
        using var http = new HttpClient(CaTrust.FromPem(before.CaCertificatesPem).Handler()) { Timeout = TimeSpan.FromSeconds(10) };

        // The listeners the load uses refuse an anonymous caller.
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, HttpMethod.Post, ingest.ToString(), null, $"{Metric} 0\n"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, HttpMethod.Get, $"{centralHub}/-/healthy", null));

        var pusher = new SamplePushLoad(ingest, Metric, edge);
        var prefix = $"rot-{Guid.NewGuid():N}"[..12];
        const string Subject = "observability.health.pc2";
        await using var publisher = new SequencedNatsLoad($"nats://{EdgeAddress}:4223", Subject, prefix, SecurityRoles.NatsAgent(Machines.Pc2), edge);
        using var stop = new CancellationTokenSource();
        var pushing = Task.Run(() => pusher.RunAsync(stop.Token));
        var publishing = Task.Run(() => publisher.RunAsync(stop.Token));
        RotationRun rotation;
        try
        {
            // The path is warm before the rotation starts: the first samples are on CentralHub (PC2 runtime → EdgeHub →
            // remote write), so a sample missing afterwards is the rotation's.
            var warm = await Eventually.WithinAsync(TimeSpan.FromMinutes(3), async () => (await SamplesOnCentralHubAsync(http, centralHub, edge)).Count > 0);
            Assert.True(warm is not null, $"no pushed sample reached CentralHub before the rotation; push failures: {string.Join(" | ", pusher.FailedAttempts.TakeLast(5))}");
            output.WriteLine($"load running: first sample on CentralHub after {warm!.Value.TotalSeconds:0} s; {pusher.Accepted} samples pushed, {publisher.Acked.Count} messages acked so far");

            rotation = await RotateAsync();
            await Task.Delay(TimeSpan.FromSeconds(3));
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(pushing, publishing);
        }
        var after = edge.Current;

        output.WriteLine($"pushes: {pusher.Pushed} samples, {pusher.Accepted} accepted, {pusher.FailedAttempts.Count} failed attempts retried " +
            $"({pusher.Unauthorized} of them 401), {pusher.Lost.Count} lost");
        foreach (var outage in FailedAttempt.Outages(pusher.FailedAttempts)) output.WriteLine($"  push retried: {outage}");
        output.WriteLine($"publishes: {publisher.Published} messages, {publisher.Acked.Count} acked, {publisher.FailedAttempts.Count} failed attempts retried " +
            $"({publisher.DuplicateAcks} retries answered duplicate), {publisher.Lost.Count} lost; connected as {string.Join(" → ", publisher.ConnectedAs)}");
        foreach (var outage in FailedAttempt.Outages(publisher.FailedAttempts)) output.WriteLine($"  publish retried: {outage}");

        Assert.Empty(pusher.Lost);
        Assert.Empty(publisher.Lost);
        Assert.Equal(pusher.Pushed, pusher.Accepted);
        Assert.Equal(publisher.Published, publisher.Acked.Count);
        Assert.True(pusher.Unauthorized == 0, $"the runtime refused {pusher.Unauthorized} pushes with the credential the stack file held: {string.Join(" | ", pusher.FailedAttempts.Where(f => f.Why.Contains("HTTP 401", StringComparison.Ordinal)).Take(5))}");
        Assert.DoesNotContain(publisher.FailedAttempts, f => f.Why.Contains("Authorization Violation", StringComparison.OrdinalIgnoreCase));

        // Every sample on CentralHub: the values 1..N, each once.
        List<double> samples = [];
        var arrived = await Eventually.WithinAsync(TimeSpan.FromMinutes(3), async () =>
            (samples = await SamplesOnCentralHubAsync(http, centralHub, edge)).Distinct().Count() >= pusher.Pushed);
        var distinct = samples.Distinct().ToHashSet();
        var missing = Enumerable.Range(1, pusher.Pushed).Where(seq => !distinct.Contains(seq)).ToList();
        output.WriteLine($"CentralHub: {samples.Count} samples of {Metric}, {distinct.Count} distinct values for {pusher.Pushed} pushes; missing {missing.Count} [{string.Join(", ", missing.Take(20))}]" +
            (arrived is null ? "" : $" (all there {arrived.Value.TotalSeconds:0} s after the load stopped)"));
        if (missing.Count > 0) await ExplainMissingAsync(http, missing, edge);
        Assert.Empty(missing);
        Assert.Equal(pusher.Pushed, distinct.Count);
        // Nor any other series: a batch CentralHub refused (4xx) is dropped whole by EdgeHub's remote write.
        var failed = await RemoteWriteFailedAsync(http, edge);
        output.WriteLine($"EdgeHub remote write to CentralHub: {failed} samples refused and dropped");
        Assert.Equal(0, failed);

        // Every message exactly once in PC2's stream and in MainPC's copy sourced across the leaf link.
        await using var edgeAdmin = new JetStreamClient($"nats://{EdgeAddress}:4223", after.User(SecurityRoles.NatsAdmin).User, after.User(SecurityRoles.NatsAdmin).Password, after.CaCertificatesPem);
        await using var mainAdmin = new JetStreamClient($"nats://{MainAddress}:4222", after.User(SecurityRoles.NatsAdmin).User, after.User(SecurityRoles.NatsAdmin).Password, after.CaCertificatesPem);
        var onEdge = DeliveryCount.Of(publisher.Acked, Ours(await edgeAdmin.ReadAsync("observability-health", Subject), prefix), sourced: false);
        DeliveryCount onHub = null!;
        var sourced = await Eventually.WithinAsync(TimeSpan.FromMinutes(2), async () =>
            (onHub = DeliveryCount.Of(publisher.Acked, Ours(await mainAdmin.ReadAsync("observability-health", Subject), prefix), sourced: true)).Stored >= publisher.Acked.Count);
        output.WriteLine($"pc2 observability-health: {onEdge}");
        output.WriteLine($"mainpc observability-health (sourced from pc2): {onHub}");
        Assert.True(onEdge.Exact, onEdge.ToString());
        Assert.True(onHub.Exact, onHub.ToString());

        // The old generation is refused everywhere the load went, the new one accepted.
        await OldRefusedNewAcceptedAsync(http, before, after, ingest, centralHub);

        output.WriteLine($"rotate --what all: {rotation.Total.TotalSeconds:0.0} s in total; " +
            string.Join(", ", rotation.Rounds.Select((r, i) => $"round {i + 1} {r.TotalSeconds:0.0} s")) +
            $"; {edge.Reads} reads of the stack file by the load");
        Assert.True(rotation.Total < SeedsLimit, $"the rotation took {rotation.Total}, over the seeds' {SeedsLimit}");
    }

    /// <summary>Where the samples missing on CentralHub stopped: on EdgeHub or not, and what the runtime and EdgeHub logged.</summary>
    private async Task ExplainMissingAsync(HttpClient http, List<int> missing, StackFileSecurity security)
    {
        var points = await PointsOnHubAsync(http, $"https://{EdgeAddress}:9100", security);
        var onEdgeHub = points.Select(p => p.Value).ToHashSet();
        output.WriteLine($"of the missing, on EdgeHub: [{string.Join(", ", points.Where(p => missing.Contains((int)p.Value)).Select(p => $"{p.Value} at {p.At:HH:mm:ss.fff}"))}]; " +
            $"not on EdgeHub either: [{string.Join(", ", missing.Where(m => !onEdgeHub.Contains(m)))}]");
        foreach (var (name, url) in new[] { ("EdgeHub", $"https://{EdgeAddress}:9100/metrics"), ("CentralHub", $"https://{MainAddress}:9000/metrics"), ("PC2 runtime", $"https://{EdgeAddress}:9095/metrics") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Authorization = Basic(security.User(SecurityRoles.Operator));
            using var response = await http.SendAsync(request);
            var lines = (await response.Content.ReadAsStringAsync()).Split('\n')
                .Where(l => !l.StartsWith('#') && Regex.IsMatch(l, "remote_storage_(samples|histograms)_(failed|dropped|retried|total)|out_of_order|out_of_bound|too_old|api/v1/write|resilience_(samples|buffer|resent|failovers|active_tier|push)")).ToList();
            output.WriteLine($"--- {name} {url} ({(int)response.StatusCode}):");
            foreach (var line in lines) output.WriteLine("  " + line);
        }
        foreach (var container in new[] { $"{EdgeStack}-runtime", $"{EdgeStack}-edgehub", $"{MainStack}-centralhub" })
        {
            var logs = Tool.Run("docker", "logs", "--tail", "400", container);
            var lines = logs.Output.Split('\n').Where(l => Regex.IsMatch(l, "warn|fail|error|reject|buffer|re-sent|switch|remote|reload|out of order|stopping|starting", RegexOptions.IgnoreCase)).TakeLast(60);
            output.WriteLine($"--- docker logs {container} (filtered):");
            foreach (var line in lines) output.WriteLine("  " + line);
        }
    }

    /// <summary>EdgeHub's count of samples its remote write dropped after a non-recoverable answer from CentralHub.</summary>
    private static async Task<double> RemoteWriteFailedAsync(HttpClient http, StackFileSecurity security)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://{EdgeAddress}:9100/metrics");
        request.Headers.Authorization = Basic(security.User(SecurityRoles.Operator));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        // One remote-write entry per hub user (two during the switch; the retired one's counters leave with it).
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n')
            .Where(l => l.StartsWith("prometheus_remote_storage_samples_failed_total{", StringComparison.Ordinal) && l.Contains("remote_name=\"centralhub-", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(lines);
        return lines.Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }

    private sealed record RotationRun(TimeSpan Total, IReadOnlyList<TimeSpan> Rounds);

    private async Task<RotationRun> RotateAsync()
    {
        var clock = Stopwatch.StartNew();
        var rotate = await Cli("rotate", "--stack", EdgeStack, "--what", "all");
        var wall = clock.Elapsed;
        output.WriteLine($"--- rotate --stack {EdgeStack} --what all: exit {rotate.ExitCode} in {wall.TotalSeconds:0.0} s (wall)");
        output.WriteLine(rotate.Stdout);
        Assert.True(rotate.ExitCode == 0, rotate.ToString());
        Assert.Contains("[4/4] credentials round 3 of 3", rotate.Stdout, StringComparison.Ordinal);
        var rounds = RoundTime().Matches(rotate.Stdout).Select(m => TimeSpan.FromSeconds(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))).ToList();
        Assert.Equal(4, rounds.Count);
        var total = TotalTime().Match(rotate.Stdout);
        Assert.True(total.Success, rotate.Stdout);
        return new RotationRun(TimeSpan.FromSeconds(double.Parse(total.Groups[1].Value, CultureInfo.InvariantCulture)), rounds);
    }

    private async Task OldRefusedNewAcceptedAsync(HttpClient http, SecuritySettings before, SecuritySettings after, Uri ingest, string centralHub)
    {
        var checks = new (string What, string Url, HttpMethod Method, string Role, string? Body)[]
        {
            ("CentralHub /-/healthy", $"{centralHub}/-/healthy", HttpMethod.Get, SecurityRoles.Operator, null),
            ("PC2 runtime ingest", $"https://{EdgeAddress}:9095/metrics/job/rotation_probe", HttpMethod.Post, SecurityRoles.Pusher, "rotation_probe 1\n"),
        };
        foreach (var (what, url, method, role, body) in checks)
        {
            var old = before.User(role);
            var now = after.User(role);
            Assert.NotEqual(old.User, now.User);
            var oldAnswer = await StatusAsync(http, method, url, old, body);
            var newAnswer = await StatusAsync(http, method, url, now, body);
            output.WriteLine($"{what}: {old.User} {(int)oldAnswer}, {now.User} {(int)newAnswer}");
            Assert.Equal(HttpStatusCode.Unauthorized, oldAnswer);
            Assert.Equal(HttpStatusCode.OK, newAnswer);
        }

        var agent = SecurityRoles.NatsAgent(Machines.Pc2);
        foreach (var (server, role) in new[] { ($"nats://{EdgeAddress}:4223", agent), ($"nats://{MainAddress}:4222", SecurityRoles.NatsAdmin) })
        {
            var old = before.User(role);
            await using var refused = new NatsConnection(NatsOptions(server, old, after.CaCertificatesPem));
            var e = await Assert.ThrowsAnyAsync<Exception>(() => refused.ConnectAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
            var why = Flatten(e);
            output.WriteLine($"{server} as {old.User}: {why}");
            Assert.Contains("Authorization Violation", why, StringComparison.OrdinalIgnoreCase);
            await using var accepted = new NatsConnection(NatsOptions(server, after.User(role), after.CaCertificatesPem));
            await accepted.ConnectAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(NatsConnectionState.Open, accepted.ConnectionState);
            output.WriteLine($"{server} as {after.User(role).User}: connected");
        }
    }

    private static NatsOpts NatsOptions(string url, UserCredential user, string caPem) => new()
    {
        Url = url,
        MaxReconnectRetry = 0,
        RequestTimeout = TimeSpan.FromSeconds(3),
        AuthOpts = new NatsAuthOpts { Username = user.User, Password = user.Password },
        TlsOpts = PairTls.Trusting(caPem),
    };

    private static string Flatten(Exception e) => e.InnerException is null ? $"{e.GetType().Name}: {e.Message}" : $"{e.GetType().Name}: {e.Message} <- {Flatten(e.InnerException)}";

    private static List<StoredMessage> Ours(List<StoredMessage> stored, string prefix) =>
        stored.Where(m => m.Payload.StartsWith(prefix + "-", StringComparison.Ordinal)).ToList();

    /// <summary>Every raw sample of the load's counter that CentralHub holds (PC2's, through EdgeHub), asked as the operator.</summary>
    private static Task<List<double>> SamplesOnCentralHubAsync(HttpClient http, string centralHub, StackFileSecurity security) => SamplesOnHubAsync(http, centralHub, security);

    private static async Task<List<double>> SamplesOnHubAsync(HttpClient http, string hub, StackFileSecurity security) =>
        [.. (await PointsOnHubAsync(http, hub, security)).Select(p => p.Value)];

    /// <summary>The raw samples with their timestamps (the runtime's ingest time).</summary>
    private static async Task<List<(DateTimeOffset At, double Value)>> PointsOnHubAsync(HttpClient http, string hub, StackFileSecurity security)
    {
        var query = Uri.EscapeDataString($"{Metric}{{job=\"{Job}\",machine=\"pc2\"}}[1h]");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{hub}/api/v1/query?query={query}");
        request.Headers.Authorization = Basic(security.User(SecurityRoles.Operator));
        try
        {
            using var response = await http.SendAsync(request);
            if (!response.IsSuccessStatusCode) return [];
            var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            return answer["data"]!["result"]!.AsArray()
                .SelectMany(series => series!["values"]!.AsArray())
                .Select(point => (DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round((double)point![0]! * 1000)),
                    double.Parse((string)point[1]!, CultureInfo.InvariantCulture)))
                .ToList();
        }
        catch (HttpRequestException)
        {
            return [];
        }
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, HttpMethod method, string url, UserCredential? user, string? body = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (user is not null) request.Headers.Authorization = Basic(user);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "text/plain");
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private static AuthenticationHeaderValue Basic(UserCredential user) => AuthenticationHeaderValue.Parse(new Credential(user.User, user.Password).BasicAuthorization());

    [GeneratedRegex(@"round \d+ took ([0-9.]+)s")]
    private static partial Regex RoundTime();

    [GeneratedRegex(@"rotated all across .* in ([0-9.]+)s")]
    private static partial Regex TotalTime();
}
