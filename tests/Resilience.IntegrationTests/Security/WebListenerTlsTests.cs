using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Resilience.Operations.Gates;
using Resilience.Operations.Security;
using Resilience.Security.Certificates;
using Resilience.Security.Passwords;
using Resilience.Stack.Config;
using Resilience.Stack.Inventory;
using Xunit.Abstractions;

namespace Resilience.IntegrationTests.Security;

/// <summary>
/// Both stacks of a pair deployed with the pair's security material (issue 16), on addresses of their own: every hub,
/// Pushgateway and Alertmanager refuses plain HTTP and anonymous or wrong callers, lets the right roles in, keeps its
/// lifecycle endpoints for users, and the samples still flow Pushgateway → EdgeHub → CentralHub over TLS with the hub
/// credential; no password reaches a process's command line or `docker inspect`.
/// </summary>
[Trait("Category", "Integration")]
public sealed class WebListenerTlsTests(ITestOutputHelper output) : IDisposable
{
    private const string MainStack = "it-webtls-mainpc";
    private const string EdgeStack = "it-webtls-pc2";
    private static readonly string MainAddress = LoopbackAddresses.For("webtls-mainpc");
    private static readonly string EdgeAddress = LoopbackAddresses.For("webtls-pc2");
    private const string Passphrase = "webtls-integration-passphrase";
    private readonly TempProject _project = new();
    private readonly string _backend = Directory.CreateTempSubdirectory("resilience-webtls-state-").FullName;
    private readonly Dictionary<string, string> _env = new();

    private Dictionary<string, string> Env => _env;

    [Fact]
    public async Task Every_prometheus_family_listener_answers_only_its_users_over_tls_and_samples_still_flow()
    {
        // The project holds only this pair: the committed stacks would get the same material otherwise.
        foreach (var committed in new[] { "mainpc", "pc2", "witness" }) File.Delete(_project.PathOf($"Pulumi.{committed}.yaml"));
        _env["PULUMI_CONFIG_PASSPHRASE"] = Passphrase;
        _env["RESILIENCE_BACKEND_URL"] = "file://" + _backend;
        foreach (var (stack, machine) in new[] { (MainStack, "mainpc"), (EdgeStack, "pc2") })
        {
            _project.Write($"Pulumi.{stack}.yaml", $"""
                config:
                  resilience:machine: {machine}
                  resilience:agentRestartCommand: true {"{program}"}
                  resilience:mainpcAddress: {MainAddress}
                  resilience:pc2Address: {EdgeAddress}
                """ + "\n");
        }
        PairMaterial.Ensure(_project.Dir, DateTimeOffset.UtcNow, MaterialOptions.Default with { GetVariable = name => _env.GetValueOrDefault(name) });
        var main = Read(MainStack);
        var security = main.Security!;
        Assert.NotNull(Read(EdgeStack).Security);
        var passwords = security.Users.Values.Select(u => u.Password).ToList();

        foreach (var stack in new[] { MainStack, EdgeStack })
        {
            var (up, seen) = await UpWatchingProcessTable(stack, passwords);
            Assert.True(up.ExitCode == 0, up.ToString());
            Assert.Empty(seen);
            foreach (var password in passwords) Assert.DoesNotContain(password, up.Stdout + up.Stderr);
        }

        var containers = new[] { "centralhub", "pushgateway", "alertmanager" }.Select(c => $"{MainStack}-{c}")
            .Concat(new[] { "edgehub", "pushgateway", "alertmanager" }.Select(c => $"{EdgeStack}-{c}")).ToArray();
        var inspect = Tool.Run("docker", ["inspect", .. containers]);
        Assert.Equal(0, inspect.ExitCode);
        foreach (var password in passwords) Assert.DoesNotContain(password, inspect.Output);
        // nobody reads the hub's key and password file: 0600 and theirs.
        foreach (var file in new[] { "centralhub/tls/server-key.pem", "centralhub/web.yml", $"centralhub/{Resilience.Stack.Components.WebListener.PasswordFileOf(security.User(SecurityRoles.Hub).User)}", "pushgateway/tls/server-key.pem" })
        {
            var path = _project.PathOf($"var/{MainStack}/{file}");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal("65534:65534", Platform.Posix.OwnerOf(path).ToString());
        }

        var roots = new X509Certificate2Collection();
        roots.ImportFromPem(security.CaCertificatesPem);
        using var trusted = new HttpClient(new CaTrust([.. roots]).Handler()) { Timeout = TimeSpan.FromSeconds(10) };
        using var plainClient = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var op = security.User(SecurityRoles.Operator);
        var hub = security.User(SecurityRoles.Hub);
        var pusher = security.User(SecurityRoles.Pusher);

        var listeners = new (string Name, string HostPort, string[] Roles)[]
        {
            ("CentralHub", $"{MainAddress}:9000", [SecurityRoles.Operator, SecurityRoles.Hub]),
            ("EdgeHub", $"{EdgeAddress}:9100", [SecurityRoles.Operator, SecurityRoles.Hub]),
            ("Pushgateway mainpc", $"{MainAddress}:9091", [SecurityRoles.Operator, SecurityRoles.Hub, SecurityRoles.Pusher]),
            ("Pushgateway pc2", $"{EdgeAddress}:9091", [SecurityRoles.Operator, SecurityRoles.Hub, SecurityRoles.Pusher]),
            ("Alertmanager mainpc", $"{MainAddress}:9093", [SecurityRoles.Operator, SecurityRoles.Hub]),
            ("Alertmanager pc2", $"{EdgeAddress}:9093", [SecurityRoles.Operator, SecurityRoles.Hub]),
        };
        foreach (var (name, hostPort, roles) in listeners)
        {
            var plain = await StatusOf(plainClient, HttpMethod.Get, $"http://{hostPort}/-/healthy", null);
            var anonymous = await StatusOf(trusted, HttpMethod.Get, $"https://{hostPort}/-/healthy", null);
            var wrong = await StatusOf(trusted, HttpMethod.Get, $"https://{hostPort}/-/healthy", new UserCredential(op.User, op.Password + "x", ""));
            var untrusted = await StatusOf(plainClient, HttpMethod.Get, $"https://{hostPort}/-/healthy", op);
            output.WriteLine($"{name}: plain HTTP {plain}; HTTPS anonymous {anonymous}; wrong password {wrong}; CA not trusted: {untrusted}");
            Assert.Equal("400", plain); // Go's TLS server answers a plain request with 400 and nothing else
            Assert.Equal("401", anonymous);
            Assert.Equal("401", wrong);
            Assert.StartsWith("TLS:", untrusted);
            foreach (var role in new[] { SecurityRoles.Operator, SecurityRoles.Hub, SecurityRoles.Pusher })
            {
                var status = await StatusOf(trusted, HttpMethod.Get, $"https://{hostPort}/-/healthy", security.User(role));
                output.WriteLine($"{name}: {role} {status}");
                Assert.Equal(roles.Contains(role) ? "200" : "401", status);
            }
        }

        // The lifecycle endpoints answer only a user: an anonymous quit leaves both hubs up (same container, no restart).
        foreach (var (stack, container, hostPort) in new[] { (MainStack, "centralhub", $"{MainAddress}:9000"), (EdgeStack, "edgehub", $"{EdgeAddress}:9100") })
        {
            var startedBefore = Tool.Run("docker", "inspect", "-f", "{{.State.StartedAt}} {{.RestartCount}}", $"{stack}-{container}").Output.Trim();
            var quit = await StatusOf(trusted, HttpMethod.Post, $"https://{hostPort}/-/quit", null);
            var reload = await StatusOf(trusted, HttpMethod.Post, $"https://{hostPort}/-/reload", null);
            var plainQuit = await StatusOf(plainClient, HttpMethod.Post, $"http://{hostPort}/-/quit", null);
            output.WriteLine($"{container}: POST /-/quit anonymous {quit}, plain HTTP {plainQuit}; POST /-/reload anonymous {reload}");
            Assert.Equal("401", quit);
            Assert.Equal("401", reload);
            Assert.Equal("400", plainQuit);
            await Task.Delay(1000);
            Assert.Equal("200", await StatusOf(trusted, HttpMethod.Get, $"https://{hostPort}/-/healthy", op));
            Assert.Equal(startedBefore, Tool.Run("docker", "inspect", "-f", "{{.State.StartedAt}} {{.RestartCount}}", $"{stack}-{container}").Output.Trim());
        }

        // The Pushgateway takes a group only from a user.
        var marker = Random.Shared.Next(1_000_000, 9_999_999);
        var group = $"https://{EdgeAddress}:9091/metrics/job/webtls_probe";
        Assert.Equal("401", await StatusOf(trusted, HttpMethod.Post, group, null, $"webtls_probe_marker {marker}\n"));
        Assert.Equal("401", await StatusOf(trusted, HttpMethod.Delete, group, null));
        Assert.Equal("200", await StatusOf(trusted, HttpMethod.Post, group, pusher, $"webtls_probe_marker {marker}\n"));

        // Pushgateway → EdgeHub (scrape over TLS as the hub) → CentralHub (remote write over TLS as the hub), asked the way
        // the CLI's gates ask (as the operator, trusting only the CA).
        var clock = Stopwatch.StartNew();
        using var probe = new LiveProbe(GateTargets.From(main), new AgentSets(main, AgentInventory.Load(_project.PathOf("stacks/agents.yaml"))), TimeSpan.FromSeconds(5));
        var atEdge = await Eventually(probe, "edgehub", $"webtls_probe_marker{{job=\"webtls_probe\"}} == {marker}", TimeSpan.FromSeconds(90));
        output.WriteLine($"the pushed sample on EdgeHub after {clock.Elapsed.TotalSeconds:0.0} s");
        var atCentral = await Eventually(probe, "centralhub", $"webtls_probe_marker{{job=\"webtls_probe\",machine=\"pc2\"}} == {marker}", TimeSpan.FromSeconds(90));
        output.WriteLine($"... and on CentralHub after {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.True(atEdge, "the pushed sample never reached EdgeHub");
        Assert.True(atCentral, "the pushed sample never reached CentralHub through EdgeHub's remote write");

        // Every scrape of the Prometheus family over TLS is up, on both hubs; both Alertmanagers are discovered.
        foreach (var (hubName, jobs) in new[]
        {
            ("centralhub", new[] { "centralhub", "pushgateway", "peer-hub", "alertmanager", "peer-alertmanager", "peer-pushgateway" }),
            ("edgehub", new[] { "edgehub", "pushgateway", "peer-hub", "alertmanager", "peer-alertmanager", "peer-pushgateway", "peer-federate" }),
        })
        {
            foreach (var job in jobs)
            {
                var up = await Eventually(probe, hubName, $"up{{job=\"{job}\"}} == 1", TimeSpan.FromSeconds(60));
                output.WriteLine($"{hubName}: up{{job=\"{job}\"}} == 1: {up}");
                Assert.True(up, $"{hubName} does not scrape {job} over TLS");
            }
            Assert.True(await Eventually(probe, hubName, "prometheus_notifications_alertmanagers_discovered == 2", TimeSpan.FromSeconds(30)), $"{hubName}: 2 Alertmanagers");
        }

        // A config change reloads EdgeHub in place through its lifecycle endpoint, as the operator (a 401 would fail the
        // up); the refresh after it asks each ready URL with the recorded credential and finds nothing to change.
        var edgeId = Tool.Run("docker", "inspect", "-f", "{{.Id}}", $"{EdgeStack}-edgehub").Output.Trim();
        _project.Append($"Pulumi.{EdgeStack}.yaml", "  resilience:edgeScrapeInterval: 20s\n");
        var reloadUp = CliRunner.Run(_project.Dir, _env, "up", "--stack", EdgeStack, "--yes");
        Assert.True(reloadUp.ExitCode == 0, reloadUp.ToString());
        Assert.Equal(edgeId, Tool.Run("docker", "inspect", "-f", "{{.Id}}", $"{EdgeStack}-edgehub").Output.Trim());
        using (var asOperator = new HttpRequestMessage(HttpMethod.Get, $"https://{EdgeAddress}:9100/api/v1/status/config"))
        {
            asOperator.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{op.User}:{op.Password}")));
            using var served = await trusted.SendAsync(asOperator);
            var text = await served.Content.ReadAsStringAsync();
            Assert.True(text.Contains("scrape_interval: 20s", StringComparison.Ordinal), $"EdgeHub serves its old config after the up:\n{reloadUp.Stdout}");
        }
        var refresh = CliRunner.Run(_project.Dir, _env, "refresh", "--stack", EdgeStack, "--yes");
        Assert.True(refresh.ExitCode == 0, refresh.ToString());
        var quiet = CliRunner.Run(_project.Dir, _env, "preview", "--stack", EdgeStack, "--expect-no-changes");
        output.WriteLine($"refresh, then preview --expect-no-changes after the reload: exit {quiet.ExitCode}");
        Assert.True(quiet.ExitCode == 0, quiet.ToString());

        // Negative control: the same probe without the material is refused, so the answers above are the credential's.
        var anonymousProbe = new LiveProbe(GateTargets.From(main) with { Security = null }, new AgentSets(main, AgentInventory.Load(_project.PathOf("stacks/agents.yaml"))), TimeSpan.FromSeconds(5));
        using (anonymousProbe)
        {
            var refused = await anonymousProbe.MeasureAsync(new ProbeSpec.PromQl("centralhub", "up", null), CancellationToken.None);
            output.WriteLine($"a gate probe of CentralHub without the material: {refused}");
            Assert.IsType<ProbeAnswer.Error>(refused);
        }
    }

    private StackSettings Read(string stack)
    {
        var config = StackConfig.Load(_project.Dir, stack);
        return StackSettings.Read(new TypedConfig(config, ConfigSecrets.Decrypter(config, name => _env.GetValueOrDefault(name))));
    }

    private static async Task<bool> Eventually(LiveProbe probe, string hub, string query, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < within)
        {
            if (await probe.MeasureAsync(new ProbeSpec.PromQl(hub, query, null), CancellationToken.None) is ProbeAnswer.Values) return true;
            await Task.Delay(1000);
        }
        return false;
    }

    /// <returns>The HTTP status as text, or "TLS: …" / "error: …" when no answer came.</returns>
    private static async Task<string> StatusOf(HttpClient client, HttpMethod method, string url, UserCredential? user, string? body = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (user is not null) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user.User}:{user.Password}")));
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "text/plain");
        try
        {
            using var response = await client.SendAsync(request);
            return ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (HttpRequestException e) when (e.InnerException is System.Security.Authentication.AuthenticationException)
        {
            return $"TLS: {e.InnerException.Message}";
        }
        catch (HttpRequestException e)
        {
            return $"error: {e.Message}";
        }
    }

    private async Task<(CliRunner.Result Up, List<string> Seen)> UpWatchingProcessTable(string stack, IReadOnlyList<string> passwords)
    {
        using var up = CliRunner.Start(_project.Dir, Env, "up", "--stack", stack, "--yes");
        var stdout = up.StandardOutput.ReadToEndAsync();
        var stderr = up.StandardError.ReadToEndAsync();
        var seen = new List<string>();
        while (!up.HasExited)
        {
            seen.AddRange(ProcessTable.CommandLinesContaining([.. passwords]));
            await Task.Delay(50);
        }
        await up.WaitForExitAsync();
        return (new CliRunner.Result(up.ExitCode, await stdout, await stderr), seen);
    }

    public void Dispose()
    {
        foreach (var stack in new[] { EdgeStack, MainStack })
        {
            if (_env.Count > 0) CliRunner.Run(_project.Dir, _env, "destroy", "--stack", stack, "--yes");
            foreach (var kind in new[] { "container", "volume", "image" })
            {
                var ids = Tool.Run("docker", kind, "ls", "-q", "--filter", $"label=resilience.stack={stack}").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                if (ids.Length > 0) Tool.Run("docker", [kind, "rm", "-f", .. ids]);
            }
        }
        _project.Dispose();
        try { Directory.Delete(_backend, recursive: true); } catch (IOException) { }
    }
}
