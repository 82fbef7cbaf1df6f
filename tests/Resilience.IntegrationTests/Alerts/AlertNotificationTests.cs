using Resilience.IntegrationTests.Engine;
using Resilience.Stack.Inventory;

namespace Resilience.IntegrationTests.Alerts;

/// <summary>
/// Two stacks with the demo fleet, their two Alertmanagers clustered, both hubs sending to both; the demo's alerts
/// routed to a real HTTP receiver by the two `config set` commands of the README. Each notification arrives once:
/// EdgeHub killed (and back), an agent failed, the same with its machine's hub down (inhibited), one Alertmanager
/// stopped. The receiver's URL is a secret: it is in the 0600 Alertmanager config and nowhere else.
/// </summary>
[Trait("Category", "Integration")]
public sealed class AlertNotificationTests : IDisposable
{
    private const string MainPc = "it-alerts-mainpc";
    private const string Pc2 = "it-alerts-pc2";
    private static readonly string[] Stacks = [MainPc, Pc2];
    private static readonly string MainPcAddress = LoopbackAddresses.For("alerts-mainpc");
    private static readonly string Pc2Address = LoopbackAddresses.For("alerts-pc2");
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan NotifiedWithin = TimeSpan.FromSeconds(60);

    /// <summary>Past the second Alertmanager's peer timeout (3 s) and group interval (2 s): a duplicate would be here by then.</summary>
    private static readonly TimeSpan DuplicateWindow = TimeSpan.FromSeconds(12);

    private readonly TempProject _project = new();
    private readonly string _backend = Directory.CreateTempSubdirectory("resilience-alerts-state-").FullName;
    private readonly WebhookReceiver _receiver = new();
    private readonly Dictionary<string, string> _env;
    private StackAccess? _access;
    private readonly ITestOutputHelper _output;

    public AlertNotificationTests(ITestOutputHelper output)
    {
        _output = output;
        // Short intervals so the test takes seconds per alert: every one of them is config.
        const string fast = """
              resilience:demoFleet: true
              resilience:agentRestartCommand: true {program}
              resilience:centralScrapeInterval: 1s
              resilience:edgeScrapeInterval: 1s
              resilience:healthCheckInterval: 1
              resilience:alertDownFor: 3s
              resilience:alertGroupWait: 1s
              resilience:alertGroupInterval: 2s
              resilience:alertRepeatInterval: 1h
              resilience:alertmanagerPeerTimeout: 3s

            """;
        foreach (var (stack, machine) in new[] { (MainPc, "mainpc"), (Pc2, "pc2") })
        {
            _project.Write($"Pulumi.{stack}.yaml", $"""
                config:
                  resilience:machine: {machine}
                  resilience:mainpcAddress: {MainPcAddress}
                  resilience:pc2Address: {Pc2Address}

                """ + fast);
        }
        _env = new Dictionary<string, string>
        {
            ["PULUMI_CONFIG_PASSPHRASE"] = "alerts-passphrase",
            ["RESILIENCE_BACKEND_URL"] = "file://" + _backend,
        };
    }

    [Fact]
    public async Task Each_alert_reaches_the_receiver_once_with_its_level_and_the_secret_url_nowhere_else()
    {
        foreach (var stack in Stacks) DockerCli.RemoveLabelled(stack);
        var problems = new List<string>();
        var log = new StringBuilder();
        var commandLines = new List<string>();
        try
        {
            // The README's two commands (the value from standard input, so not in argv either).
            foreach (var stack in Stacks)
            {
                var set = SetWebhook(stack);
                Assert.True(set.ExitCode == 0, set.ToString());
                log.Append(set.Stdout).Append(set.Stderr);
            }
            foreach (var stack in Stacks)
            {
                using var up = CliRunner.Start(_project.Dir, _env, "up", "--stack", stack, "--yes");
                var stdout = up.StandardOutput.ReadToEndAsync();
                var stderr = up.StandardError.ReadToEndAsync();
                while (!up.HasExited)
                {
                    commandLines.AddRange(ProcessTable.CommandLinesContaining(_receiver.Url));
                    await Task.Delay(50);
                }
                await up.WaitForExitAsync();
                log.Append(await stdout).Append(await stderr);
                Assert.True(up.ExitCode == 0, $"up {stack}: {await stdout}{await stderr}");
            }

            // Both Alertmanagers in one cluster, both hubs sending to both.
            var clustered = await Eventually.WithinAsync(TimeSpan.FromSeconds(60), async () =>
                await PeersAsync(MainPcAddress) == 2 && await PeersAsync(Pc2Address) == 2
                && await AlertmanagersAsync($"https://{MainPcAddress}:9000") == 2 && await AlertmanagersAsync($"https://{Pc2Address}:9100") == 2);
            Assert.True(clustered is not null, "the Alertmanagers did not form one cluster, or a hub does not send to both");
            // Whatever fired while the second stack came up (its hub, its Alertmanager, agents not yet probed) resolves
            // before the test begins: nothing active and no notification for a whole duplicate window.
            var quiet = await Eventually.WithinAsync(TimeSpan.FromSeconds(120), async () =>
            {
                if ((await ActiveAsync(MainPcAddress, "")).Count > 0) return false;
                var from = DateTimeOffset.UtcNow;
                await Task.Delay(DuplicateWindow);
                return (await ActiveAsync(MainPcAddress, "")).Count == 0 && _receiver.Since(from, _ => true).Count == 0;
            });
            Assert.True(quiet is not null, $"alerts still active after both stacks are up: {string.Join(", ", await ActiveAsync(MainPcAddress, ""))}{Received()}");

            var agents = AgentInventory.Load(_project.PathOf("stacks/agents.yaml")).On("pc2").Select(a => a.Name).ToList();

            // 1. An agent failed: one AgentDown on the level-1 route.
            var agent = agents[0];
            var start = DateTimeOffset.UtcNow;
            await FleetAsync(agent, "fail");
            var agentDown = await OnceAsync(start, n => n.Status == "firing" && n.Has("AgentDown", "agent", agent), $"AgentDown {agent}");
            Assert.Equal("level-1", agentDown.Receiver);
            Assert.True(agentDown.Has("AgentDown", "level", "1"), agentDown.ToString());
            Assert.True(agentDown.Has("AgentDown", "machine", "pc2"), agentDown.ToString());
            await FleetAsync(agent, "recover");

            // 2. EdgeHub killed: one HubDown (level 2), though both Alertmanagers are up; resolved once it is back.
            var killed = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            Assert.Equal(0, Tool.Run("docker", "kill", $"{Pc2}-edgehub").ExitCode);
            var hubDown = await Eventually.WithinAsync(NotifiedWithin, () => Task.FromResult(
                _receiver.Since(killed, n => n.Status == "firing" && n.Has("HubDown", "machine", "pc2")).Count > 0));
            Assert.True(hubDown is not null, $"no HubDown within {NotifiedWithin}: {Received()}");
            var killToNotification = clock.Elapsed;
            _output.WriteLine($"EdgeHub killed -> HubDown notification received: {killToNotification.TotalSeconds:F1} s " +
                "(scrape 1s, alertDownFor 3s, group_wait 1s)");

            // 3. Its machine's hub down: an agent of that machine failed is inhibited, never notified.
            var inhibited = agents[1];
            var failedAt = DateTimeOffset.UtcNow;
            await FleetAsync(inhibited, "fail");
            var seenInhibited = await Eventually.WithinAsync(NotifiedWithin, async () =>
                (await ActiveAsync(MainPcAddress, $"alertname=\"AgentDown\",agent=\"{inhibited}\"", inhibited: true)).Count > 0);
            Assert.True(seenInhibited is not null, $"AgentDown {inhibited} never reached the Alertmanager while EdgeHub was down, inhibited; " +
                $"active: {string.Join(", ", await ActiveAsync(MainPcAddress, ""))}; inhibited: {string.Join(", ", await ActiveAsync(MainPcAddress, "", inhibited: true))}{Received()}");
            await Task.Delay(DuplicateWindow);
            var hubDowns = _receiver.Since(killed, n => n.Status == "firing" && n.Has("HubDown"));
            Assert.True(hubDowns.Count == 1, $"HubDown notified {hubDowns.Count} times: {Received()}");
            Assert.Equal("level-2", hubDowns[0].Receiver);
            Assert.True(hubDowns[0].Has("HubDown", "level", "2"), hubDowns[0].ToString());
            Assert.Empty(_receiver.Since(failedAt, n => n.Has("AgentDown", "agent", inhibited)));
            Assert.Single(await ActiveAsync(MainPcAddress, $"alertname=\"AgentDown\",agent=\"{inhibited}\"", inhibited: true));
            await FleetAsync(inhibited, "recover");
            Assert.True(await Eventually.WithinAsync(NotifiedWithin, async () =>
                (await ActiveAsync(MainPcAddress, $"alertname=\"AgentDown\",agent=\"{inhibited}\"", inhibited: true)).Count == 0) is not null);

            var restarted = DateTimeOffset.UtcNow;
            Assert.Equal(0, Tool.Run("docker", "start", $"{Pc2}-edgehub").ExitCode);
            var resolved = await Eventually.WithinAsync(NotifiedWithin, () => Task.FromResult(
                _receiver.Since(restarted, n => n.Status == "resolved" && n.Has("HubDown", "machine", "pc2")).Count > 0));
            Assert.True(resolved is not null, $"no resolved HubDown within {NotifiedWithin} of EdgeHub's return: {Received()}");
            _output.WriteLine($"EdgeHub back -> resolved notification: {resolved!.Value.TotalSeconds:F1} s");

            // 4. One Alertmanager stopped: the next alert still arrives, once.
            Assert.Equal(0, Tool.Run("docker", "stop", $"{MainPc}-alertmanager").ExitCode);
            var lone = agents[2];
            var loneAt = DateTimeOffset.UtcNow;
            await FleetAsync(lone, "fail");
            await OnceAsync(loneAt, n => n.Status == "firing" && n.Has("AgentDown", "agent", lone), $"AgentDown {lone} with one Alertmanager");
            await FleetAsync(lone, "recover");
            // Never paged: once EdgeHub is back the inhibition ends, and Alertmanager may still list the (recovered)
            // agent in a resolved notification of its group; a firing one would be the leak.
            Assert.Empty(_receiver.Since(failedAt, n => n.Status == "firing" && n.Has("AgentDown", "agent", inhibited)));

            // 5. The receiver's URL is in the 0600 Alertmanager configs and nowhere else.
            foreach (var stack in Stacks)
            {
                var file = _project.PathOf($"var/{stack}/alertmanager/alertmanager.yml");
                Assert.Contains(_receiver.Url, File.ReadAllText(file));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
                Assert.DoesNotContain(_receiver.Url, File.ReadAllText(_project.PathOf($"Pulumi.{stack}.yaml")));
                foreach (var container in new[] { "alertmanager", stack == MainPc ? "centralhub" : "edgehub", "runtime" })
                    log.Append(Tool.Run("docker", "logs", $"{stack}-{container}").Output);
                var inspect = Tool.Run("docker", ["inspect", .. DockerCli.Labelled(stack).Where(l => l.StartsWith("container ", StringComparison.Ordinal)).Select(l => l["container ".Length..])]);
                Assert.True(inspect.ExitCode == 0, inspect.ToString());
                Assert.Contains($"{stack}-alertmanager", inspect.Output);
                Assert.DoesNotContain(_receiver.Url, inspect.Output);
            }
            commandLines.AddRange(ProcessTable.CommandLinesContaining(_receiver.Url));
            Assert.Empty(commandLines);
            Assert.DoesNotContain(_receiver.Url, log.ToString());
            var leaks = Directory.EnumerateFiles(_backend, "*", SearchOption.AllDirectories)
                .Where(f => File.ReadAllText(f).Contains(_receiver.Url, StringComparison.Ordinal)).ToList();
            Assert.True(Directory.EnumerateFiles(_backend, "*", SearchOption.AllDirectories).Any(), "no state or history was written");
            Assert.Empty(leaks);
            _output.WriteLine($"notifications received: {_receiver.Received.Count}");
        }
        finally
        {
            foreach (var stack in Stacks.Reverse())
            {
                var destroy = await CliRunner.RunAsync(_project.Dir, _env, CommandTimeout, "destroy", "--stack", stack, "--yes");
                if (destroy.ExitCode != 0) problems.Add($"destroy {stack}: {destroy}");
                DockerCli.RemoveLabelled(stack);
            }
        }
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>Waits for the first notification <paramref name="which"/> matches, then for a duplicate window: exactly one.</summary>
    private async Task<Notification> OnceAsync(DateTimeOffset since, Func<Notification, bool> which, string what)
    {
        var first = await Eventually.WithinAsync(NotifiedWithin, () => Task.FromResult(_receiver.Since(since, which).Count > 0));
        Assert.True(first is not null, $"no {what} within {NotifiedWithin}: {Received()}");
        await Task.Delay(DuplicateWindow);
        var all = _receiver.Since(since, which);
        Assert.True(all.Count == 1, $"{what} notified {all.Count} times: {Received()}");
        return all[0];
    }

    /// <summary>The operator's client once the stacks are up (they make the pair's material at the first `up`): one CA
    /// and one operator credential for both.</summary>
    private HttpClient Http => (_access ??= StackAccess.Read(_project.Dir, MainPc, _env)).Http;

    private string Received() => Environment.NewLine + string.Join(Environment.NewLine, _receiver.Received);

    private async Task FleetAsync(string agent, string action)
    {
        using var response = await Http.PostAsync($"https://{Pc2Address}:9190/agents/{agent}/{action}", null);
        Assert.True(response.IsSuccessStatusCode, $"POST /agents/{agent}/{action}: {(int)response.StatusCode}");
    }

    private async Task<int> PeersAsync(string address)
    {
        try
        {
            var status = JsonNode.Parse(await Http.GetStringAsync($"https://{address}:9093/api/v2/status"))!;
            return status["cluster"]!["peers"]!.AsArray().Count;
        }
        catch (HttpRequestException) { return 0; }
    }

    private async Task<int> AlertmanagersAsync(string hub)
    {
        try
        {
            var body = JsonNode.Parse(await Http.GetStringAsync($"{hub}/api/v1/alertmanagers"))!;
            return body["data"]!["activeAlertmanagers"]!.AsArray().Count;
        }
        catch (HttpRequestException) { return 0; }
    }

    /// <summary>The Alertmanager's active alerts matching the matchers (comma-separated); with <paramref name="inhibited"/> only inhibited ones.</summary>
    private async Task<List<string>> ActiveAsync(string address, string filter, bool inhibited = false)
    {
        var query = $"active=true&silenced=false&inhibited={(inhibited ? "true" : "false")}&unprocessed=false";
        foreach (var matcher in filter.Split(',', StringSplitOptions.RemoveEmptyEntries)) query += "&filter=" + Uri.EscapeDataString(matcher);
        var alerts = JsonNode.Parse(await Http.GetStringAsync($"https://{address}:9093/api/v2/alerts?{query}"))!.AsArray();
        return [.. alerts.Where(a => !inhibited || a!["status"]!["inhibitedBy"]!.AsArray().Count > 0)
            .Select(a => a!["labels"]!.ToJsonString())];
    }

    private CliRunner.Result SetWebhook(string stack)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "resilience.dll");
        var info = new ProcessStartInfo("bash", ["-c", $"printf '%s' \"$SECRET_VALUE\" | dotnet '{dll}' config set alertWebhookUrl --secret --stack {stack}"])
        { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _project.Dir };
        info.Environment["RESILIENCE_PROJECT"] = _project.Dir;
        info.Environment["SECRET_VALUE"] = _receiver.Url;
        foreach (var (k, v) in _env) info.Environment[k] = v;
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEnd();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return new CliRunner.Result(p.ExitCode, stdout, stderr);
    }

    public void Dispose()
    {
        _access?.Dispose();
        _receiver.Dispose();
        _project.Dispose();
        try { Directory.Delete(_backend, recursive: true); } catch (IOException) { }
    }
}
