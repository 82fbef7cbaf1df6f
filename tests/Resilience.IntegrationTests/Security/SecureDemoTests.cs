using System.Net;
using NATS.Net;
using Resilience.IntegrationTests.Topology;
using Resilience.Stack.Config;

namespace Resilience.IntegrationTests.Security;

/// <summary>
/// The demo as the README's main job leaves it, secured by default: every listener of both machines refuses a plain or
/// anonymous caller and answers the operator; no password or private key of the pair is in a command line,
/// `docker inspect`, the engine's state, the CLI's output or a file others can read.
/// </summary>
[Trait("Category", "Integration")]
[Collection(DemoStacksCollection.Name)]
public sealed class SecureDemoTests(DemoStacks stacks, ITestOutputHelper output)
{
    /// <summary>Every HTTP listener of a machine: the hub, the Pushgateway, the Alertmanager, the runtime, the fleet's
    /// control API and one agent (its /health), with a path that answers the operator.</summary>
    private IEnumerable<(string Name, string Url)> Listeners(string stack)
    {
        var hub = stack == DemoStacks.MainPc ? 9000 : 9100;
        var agent = stacks.Inventory.On(stack).First();
        return
        [
            ("hub", $"{stacks.Url(stack, hub)}/-/ready"),
            ("pushgateway", $"{stacks.Url(stack, 9091)}/-/ready"),
            ("alertmanager", $"{stacks.Url(stack, 9093)}/-/ready"),
            ("runtime", $"{stacks.Url(stack, 9095)}/status"),
            ("fleet control", $"{stacks.Url(stack, 9190)}/agents"),
            ($"agent {agent.Name}", $"{stacks.Url(stack, agent.Port)}{agent.HealthPath}"),
        ];
    }

    [Fact]
    public async Task Every_listener_of_both_machines_refuses_plain_and_anonymous_callers_and_answers_the_operator()
    {
        await stacks.ResetAsync();
        using var anonymous = StackAccess.Anonymous();
        using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var problems = new List<string>();
        foreach (var stack in DemoStacks.Both)
        {
            foreach (var (name, url) in Listeners(stack))
            {
                using (var answered = await stacks.Access(stack).Http.GetAsync(url))
                    if (!answered.IsSuccessStatusCode) problems.Add($"{stack} {name}: the operator got {(int)answered.StatusCode} from {url}");
                using (var refused = await anonymous.GetAsync(url))
                    if (refused.StatusCode != HttpStatusCode.Unauthorized) problems.Add($"{stack} {name}: anonymous got {(int)refused.StatusCode} from {url}");
                var insecure = "http" + url["https".Length..];
                var plainAnswer = await PlainAsync(plain, insecure);
                if (plainAnswer is { } status && (int)status < 400) problems.Add($"{stack} {name}: plain http got {(int)status} from {insecure}");
                output.WriteLine($"{stack} {name}: operator ok, anonymous 401, plain http {(plainAnswer is { } s ? ((int)s).ToString(System.Globalization.CultureInfo.InvariantCulture) : "refused")}");
            }
        }
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));

        // The lifecycle endpoint: anonymous is refused and the hub keeps running.
        using (var quit = await anonymous.PostAsync($"{stacks.Url(DemoStacks.Pc2, 9100)}/-/quit", null))
            Assert.Equal(HttpStatusCode.Unauthorized, quit.StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.True((await stacks.Access(DemoStacks.Pc2).Http.GetAsync($"{stacks.Url(DemoStacks.Pc2, 9100)}/-/ready")).IsSuccessStatusCode, "EdgeHub stopped after an anonymous /-/quit");

        // NATS: TLS verified against the pair's CA; no user is an authorization violation, the admin gets in.
        var security = stacks.Access(DemoStacks.Pc2).Security!;
        foreach (var (stack, port) in new[] { (DemoStacks.MainPc, 4222), (DemoStacks.Pc2, 4223) })
        {
            var url = $"tls://{DemoStacks.Addresses[stack]}:{port}";
            await using (var nobody = new NatsConnection(new NatsOpts { Url = url, MaxReconnectRetry = 0, TlsOpts = PairTls.Trusting(security.CaCertificatesPem) }))
            {
                var e = await Assert.ThrowsAnyAsync<Exception>(() => nobody.ConnectAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
                Assert.Contains("Authorization Violation", Flatten(e), StringComparison.OrdinalIgnoreCase);
            }
            var admin = security.User(SecurityRoles.NatsAdmin);
            await using var known = new NatsConnection(new NatsOpts
            {
                Url = url,
                MaxReconnectRetry = 0,
                AuthOpts = new NatsAuthOpts { Username = admin.User, Password = admin.Password },
                TlsOpts = PairTls.Trusting(security.CaCertificatesPem),
            });
            await known.ConnectAsync();
            Assert.Equal(NatsConnectionState.Open, known.ConnectionState);
        }
    }

    [Fact]
    public async Task No_password_or_private_key_of_the_pair_is_in_a_command_line_docker_inspect_the_state_the_output_or_a_readable_file()
    {
        await stacks.ResetAsync();
        var secrets = new List<string>();
        foreach (var stack in DemoStacks.Both)
        {
            var security = stacks.Access(stack).Security!;
            secrets.AddRange(security.Users.Values.Concat(security.NextUsers.Values).Concat(security.RetiringUsers.Values).Select(u => u.Password));
            secrets.AddRange(security.Certificates.Values.Select(c => KeyLine(c.KeyPem)));
        }
        var config = StackConfig.Load(stacks.Project.Dir, DemoStacks.Pc2);
        var caKey = ConfigSecrets.Decrypter(config, name => name == "PULUMI_CONFIG_PASSPHRASE" ? DemoStacks.Passphrase : null)(config.Find(SecurityKeys.CaKey)!);
        secrets.Add(KeyLine(caKey));
        secrets = [.. secrets.Distinct()];
        Assert.True(secrets.Count >= 12, $"only {secrets.Count} secrets read back from the stack files");

        // An `up` of both while the process table is read every 20 ms: the CLI, the engine's steps, every container.
        var log = new System.Text.StringBuilder();
        var seen = new List<string>();
        var samples = 0;
        foreach (var stack in DemoStacks.Both)
        {
            var up = stacks.RunAsync("up", "--stack", stack, "--refresh", "--yes");
            while (!up.IsCompleted)
            {
                samples++;
                seen.AddRange(ProcessTable.CommandLinesContaining([.. secrets]));
                await Task.Delay(20);
            }
            var result = await up;
            Assert.True(result.ExitCode == 0, result.ToString());
            log.Append(result.Stdout).Append(result.Stderr);
            var shown = await stacks.MustRunAsync("stack", "output", "--stack", stack);
            log.Append(shown.Stdout).Append(shown.Stderr);
        }
        Assert.True(samples > 10, $"only {samples} samples of the process table were taken");
        Assert.Empty(seen);
        var text = log.ToString();
        Assert.DoesNotContain(secrets, s => text.Contains(s, StringComparison.Ordinal));

        var containers = DemoStacks.Both.SelectMany(stack => Tool.Run("docker", "ps", "-q", "--filter", $"label=resilience.stack={stack}").Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
        Assert.True(containers.Length >= 10, $"only {containers.Length} containers of the demo are running");
        var inspect = Tool.Run("docker", ["inspect", .. containers]);
        Assert.True(inspect.ExitCode == 0, inspect.ToString());
        Assert.DoesNotContain(secrets, s => inspect.Output.Contains(s, StringComparison.Ordinal));

        var state = stacks.Project.PathOf("state");
        var plainState = Directory.EnumerateFiles(state, "*", SearchOption.AllDirectories)
            .Where(f => secrets.Any(s => File.ReadAllText(f).Contains(s, StringComparison.Ordinal))).ToList();
        Assert.Empty(plainState);

        // Rendered files that hold a secret are 0600; those that hold none may be read by the containers' users.
        var owner = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var holding = Directory.EnumerateFiles(stacks.Project.PathOf("var"), "*", SearchOption.AllDirectories)
            .Where(f => secrets.Any(s => File.ReadAllText(f).Contains(s, StringComparison.Ordinal))).ToList();
        Assert.True(holding.Count >= 10, $"only {holding.Count} rendered files hold a secret: {string.Join(", ", holding)}");
        Assert.All(holding, f => Assert.True(File.GetUnixFileMode(f) == owner, $"{f} holds a secret and is {File.GetUnixFileMode(f)}"));
        output.WriteLine($"{secrets.Count} secrets; {samples} process-table samples; {containers.Length} containers inspected; {holding.Count} rendered files hold one, all 0600");
    }

    /// <summary>A line of a PEM key's body: enough to find the key, shorter than any line wrap changes.</summary>
    private static string KeyLine(string pem) => pem.Split('\n')[1];

    private static async Task<HttpStatusCode?> PlainAsync(HttpClient plain, string url)
    {
        try
        {
            using var answer = await plain.GetAsync(url);
            return answer.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static string Flatten(Exception e) => e.InnerException is null ? $"{e.GetType().Name}: {e.Message}" : $"{e.GetType().Name}: {e.Message} <- {Flatten(e.InnerException)}";
}
