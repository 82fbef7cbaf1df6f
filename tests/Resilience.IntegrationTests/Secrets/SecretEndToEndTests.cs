using NATS.Client.KeyValueStore;
using NATS.Net;
using Resilience.Stack.Config;

namespace Resilience.IntegrationTests.Secrets;

/// <summary>
/// A NATS password set with `config set --secret` (or the pair's security material) reaches the rendered NATS config (0600) and the server, and
/// nowhere else: not the state, not the output of the run, not any process's command line while it runs.
/// </summary>
public sealed class SecretEndToEndTests : IDisposable
{
    private const string Stack = "it-secret-pc2";
    private static readonly string MainPcAddress = LoopbackAddresses.For("secret-mainpc");
    private static readonly string Address = LoopbackAddresses.For("secret-pc2");
    private const string Password = "pl41ntext-Secret-7f3a";
    private readonly TempProject _project = new TempProject().KeepListenersOpen();
    private readonly string _backend = Directory.CreateTempSubdirectory("resilience-secret-state-").FullName;
    private readonly Dictionary<string, string> _env;

    public SecretEndToEndTests()
    {
        _project.Write($"Pulumi.{Stack}.yaml", $"""
            config:
              resilience:machine: pc2
              resilience:agentRestartCommand: true {"{program}"}
              resilience:mainpcAddress: {MainPcAddress}
              resilience:pc2Address: {Address}
            """ + "\n");
        _env = new Dictionary<string, string>
        {
            ["PULUMI_CONFIG_PASSPHRASE"] = "integration-passphrase",
            ["RESILIENCE_BACKEND_URL"] = "file://" + _backend,
        };
    }

    [Fact]
    public async Task The_secret_is_in_the_0600_nats_config_and_the_server_and_nowhere_else()
    {
        var set = SetSecret();
        Assert.True(set.ExitCode == 0, set.ToString());
        Assert.DoesNotContain(Password, File.ReadAllText(_project.PathOf($"Pulumi.{Stack}.yaml")));

        using var up = CliRunner.Start(_project.Dir, _env, "up", "--stack", Stack, "--yes");
        var stdout = up.StandardOutput.ReadToEndAsync();
        var stderr = up.StandardError.ReadToEndAsync();
        var seenInProcessTable = new List<string>();
        var samples = 0;
        while (!up.HasExited)
        {
            samples++;
            seenInProcessTable.AddRange(CommandLinesContaining(Password));
            await Task.Delay(20);
        }
        await up.WaitForExitAsync();
        var log = await stdout + await stderr;
        Assert.True(up.ExitCode == 0, log);
        Assert.True(samples > 10, $"only {samples} samples of the process table were taken");
        Assert.Empty(seenInProcessTable);
        Assert.DoesNotContain(Password, log);

        var natsConf = _project.PathOf($"var/{Stack}/nats/nats.conf");
        Assert.Contains(Password, File.ReadAllText(natsConf));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(natsConf));
        var leaks = Directory.EnumerateFiles(_backend, "*", SearchOption.AllDirectories)
            .Where(f => File.ReadAllText(f).Contains(Password, StringComparison.Ordinal)).ToList();
        Assert.Empty(leaks);
        // The runtime connects to NATS with the credentials, so its config is the one other secret file.
        var runtimeConf = _project.PathOf($"var/{Stack}/runtime/runtime.yaml");
        Assert.Contains(Password, File.ReadAllText(runtimeConf));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(runtimeConf));
        var otherRendered = Directory.EnumerateFiles(_project.PathOf($"var/{Stack}"), "*", SearchOption.AllDirectories)
            .Where(f => f != natsConf && f != runtimeConf && File.ReadAllText(f).Contains(Password, StringComparison.Ordinal)).ToList();
        Assert.Empty(otherRendered);
        var inspect = Tool.Run("docker", "inspect", $"{Stack}-nats", $"{Stack}-runtime");
        Assert.DoesNotContain(Password, inspect.Output);

        // The server enforces it: no credentials is refused, the configured ones work.
        await using (var anonymous = new NatsConnection(new NatsOpts { Url = $"nats://{Address}:4223", MaxReconnectRetry = 0 }))
        {
            await Assert.ThrowsAnyAsync<NatsException>(async () => await anonymous.ConnectAsync());
        }
        await using var authed = new NatsClient(new NatsOpts { Url = $"nats://{Address}:4223", AuthOpts = new NatsAuthOpts { Username = "resilience", Password = Password } });
        var js = authed.CreateJetStreamContext();
        var names = new List<string>();
        await foreach (var name in js.ListStreamNamesAsync()) names.Add(name);
        Assert.Contains("observability-metrics", names);

        var hidden = CliRunner.Run(_project.Dir, _env, "stack", "output", "--stack", Stack, "--json");
        Assert.DoesNotContain(Password, hidden.Stdout);
        var shown = CliRunner.Run(_project.Dir, _env, "stack", "output", "--stack", Stack, "--json", "--show-secrets");
        Assert.Contains($"nats://resilience:{Password}@{Address}:4223", shown.Stdout);
    }

    /// <summary>
    /// The pair's material made by `security init`: every NATS role's password and the machine's key reach only 0600
    /// files and the servers — not the state, the run's output, a command line or `docker inspect` — and the runtime
    /// connects over TLS as its own role (its failover decision lands in the KV bucket).
    /// </summary>
    [Fact]
    public async Task The_NATS_security_material_is_in_0600_files_and_the_servers_and_nowhere_else()
    {
        var init = CliRunner.Run(_project.Dir, _env, "security", "init", "--stack", Stack);
        Assert.True(init.ExitCode == 0, init.ToString());
        var config = StackConfig.Load(_project.Dir, Stack);
        var security = StackSettings.Read(new TypedConfig(config, ConfigSecrets.Decrypter(config, name => _env.GetValueOrDefault(name)))).Security!;
        string[] natsRoles = [SecurityRoles.NatsAdmin, SecurityRoles.NatsLeaf, SecurityRoles.NatsAgent("pc2"), SecurityRoles.NatsRuntime("pc2"),
            SecurityRoles.NatsAgent("mainpc"), SecurityRoles.NatsRuntime("mainpc")];
        var keyLine = security.Certificates["pc2"].KeyPem.Split('\n')[1];
        string[] secrets = [.. natsRoles.Select(r => security.User(r).Password), keyLine];

        using var up = CliRunner.Start(_project.Dir, _env, "up", "--stack", Stack, "--yes");
        var stdout = up.StandardOutput.ReadToEndAsync();
        var stderr = up.StandardError.ReadToEndAsync();
        var seenInProcessTable = new List<string>();
        var samples = 0;
        while (!up.HasExited)
        {
            samples++;
            foreach (var secret in secrets) seenInProcessTable.AddRange(CommandLinesContaining(secret));
            await Task.Delay(20);
        }
        await up.WaitForExitAsync();
        var log = await stdout + await stderr;
        Assert.True(up.ExitCode == 0, log);
        Assert.True(samples > 10, $"only {samples} samples of the process table were taken");
        Assert.Empty(seenInProcessTable);
        foreach (var secret in secrets) Assert.DoesNotContain(secret, log);
        var leaks = Directory.EnumerateFiles(_backend, "*", SearchOption.AllDirectories)
            .Where(f => secrets.Any(secret => File.ReadAllText(f).Contains(secret, StringComparison.Ordinal))).ToList();
        Assert.Empty(leaks);

        // The leaf remote's password, the runtime's and the key are each in their 0600 file; no other file holds one unless 0600.
        var owner = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var natsConf = _project.PathOf($"var/{Stack}/nats/nats.conf");
        Assert.Contains(security.User(SecurityRoles.NatsLeaf).Password, File.ReadAllText(natsConf));
        var runtimeConf = _project.PathOf($"var/{Stack}/runtime/runtime.yaml");
        Assert.Contains(security.User(SecurityRoles.NatsRuntime("pc2")).Password, File.ReadAllText(runtimeConf));
        var key = _project.PathOf($"var/{Stack}/nats/server-key.pem");
        Assert.Equal(security.Certificates["pc2"].KeyPem, File.ReadAllText(key));
        var holding = Directory.EnumerateFiles(_project.PathOf($"var/{Stack}"), "*", SearchOption.AllDirectories)
            .Where(f => secrets.Any(secret => File.ReadAllText(f).Contains(secret, StringComparison.Ordinal))).ToList();
        Assert.Contains(natsConf, holding);
        Assert.All(holding, f => Assert.True(File.GetUnixFileMode(f) == owner, $"{f} holds a secret and is {File.GetUnixFileMode(f)}"));
        var inspect = Tool.Run("docker", "inspect", $"{Stack}-nats", $"{Stack}-runtime");
        Assert.True(inspect.ExitCode == 0, inspect.ToString());
        foreach (var secret in secrets) Assert.DoesNotContain(secret, inspect.Output);

        // The server enforces it: no credentials is refused; the runtime connected as its role over TLS and wrote its decision.
        var tls = Topology.PairTls.Trusting(security.CaCertificatesPem);
        await using (var anonymous = new NatsConnection(new NatsOpts { Url = $"nats://{Address}:4223", MaxReconnectRetry = 0, TlsOpts = tls }))
        {
            await Assert.ThrowsAnyAsync<NatsException>(async () => await anonymous.ConnectAsync());
        }
        var admin = security.User(SecurityRoles.NatsAdmin);
        await using var authed = new NatsClient(new NatsOpts
        {
            Url = $"nats://{Address}:4223",
            TlsOpts = tls,
            AuthOpts = new NatsAuthOpts { Username = admin.User, Password = admin.Password },
        });
        var kv = authed.CreateKeyValueStoreContext();
        await Poll.UntilAsync(async () =>
        {
            try
            {
                var store = await kv.GetStoreAsync("resilience-failover");
                return (await store.GetEntryAsync<string>("pc2")).Value is { Length: > 0 };
            }
            catch (Exception e) when (e is NatsException or NATS.Client.KeyValueStore.NatsKVKeyNotFoundException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), "the runtime's failover decision for pc2 in the KV bucket");

        var hidden = CliRunner.Run(_project.Dir, _env, "stack", "output", "--stack", Stack, "--json");
        Assert.DoesNotContain(admin.Password, hidden.Stdout);
        var shown = CliRunner.Run(_project.Dir, _env, "stack", "output", "--stack", Stack, "--json", "--show-secrets");
        Assert.Contains($"tls://{admin.User}:{admin.Password}@{Address}:4223", shown.Stdout);
    }

    [Fact]
    public void Wrong_or_missing_passphrase_is_a_clear_error_and_applies_nothing()
    {
        Assert.Equal(0, SetSecret().ExitCode);
        var wrong = CliRunner.Run(_project.Dir, new Dictionary<string, string>(_env) { ["PULUMI_CONFIG_PASSPHRASE"] = "nope" }, "up", "--stack", Stack, "--yes");
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains($"Pulumi.{Stack}.yaml: line", wrong.Stderr);
        Assert.Contains("resilience:natsPassword: incorrect passphrase", wrong.Stderr);
        var missingEnv = new Dictionary<string, string>(_env) { ["PULUMI_CONFIG_PASSPHRASE"] = "" };
        var missing = CliRunner.Run(_project.Dir, missingEnv, "up", "--stack", Stack, "--yes");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("PULUMI_CONFIG_PASSPHRASE", missing.Stderr);
        Assert.Contains("PULUMI_CONFIG_PASSPHRASE_FILE", missing.Stderr);
        Assert.False(Directory.Exists(_project.PathOf($"var/{Stack}")), "nothing may be written");
        Assert.Empty(Tool.Run("docker", "ps", "-aq", "--filter", $"label=resilience.stack={Stack}").Output.Trim());
    }

    /// <summary>`printf VALUE | resilience config set KEY --secret`: the value never becomes an argument of our process.</summary>
    private CliRunner.Result SetSecret()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "resilience.dll");
        var info = new System.Diagnostics.ProcessStartInfo("bash", ["-c", $"printf '%s' \"$SECRET_VALUE\" | dotnet '{dll}' config set natsPassword --secret --stack {Stack}"])
        { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _project.Dir };
        info.Environment["RESILIENCE_PROJECT"] = _project.Dir;
        info.Environment["SECRET_VALUE"] = Password;
        foreach (var (k, v) in _env) info.Environment[k] = v;
        using var p = System.Diagnostics.Process.Start(info)!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return new CliRunner.Result(p.ExitCode, output, error);
    }

    /// <summary>The set-webhook command line names the variable, not the value: only other lines are leaks.</summary>
    private static IEnumerable<string> CommandLinesContaining(string needle) =>
        ProcessTable.CommandLinesContaining(needle).Where(l => !l.Contains("SECRET_VALUE", StringComparison.Ordinal));

    public void Dispose()
    {
        CliRunner.Run(_project.Dir, _env, "destroy", "--stack", Stack, "--yes");
        foreach (var kind in new[] { "container", "volume", "image" })
        {
            var ids = Tool.Run("docker", kind, "ls", "-q", "--filter", $"label=resilience.stack={Stack}").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (ids.Length > 0) Tool.Run("docker", [kind, "rm", "-f", .. ids]);
        }
        _project.Dispose();
        try { Directory.Delete(_backend, recursive: true); } catch (IOException) { }
    }
}
