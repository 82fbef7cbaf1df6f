using Resilience.Operations.Status;
using Resilience.Stack.Config;

namespace Resilience.IntegrationTests.Topology;

/// <summary>
/// The two machines' NATS deployed by the real CLI from a throw-away project: stacks it-js-mainpc
/// and it-js-pc2 (each on its own loopback address) on host networking, only the resources NATS needs (--target). Everything the
/// stacks made is destroyed and every Docker object labelled with their names removed afterwards.
/// </summary>
public class TopologyStacks : IAsyncLifetime
{
    public const string MainPcStack = "it-js-mainpc";
    public const string Pc2Stack = "it-js-pc2";
    public static readonly string MainPcAddress = LoopbackAddresses.For("topology-leaf-mainpc");
    public static readonly string Pc2Address = LoopbackAddresses.For("topology-leaf-pc2");
    public const int LeafPort = 7422;
    private const string Passphrase = "topology-integration-passphrase";

    private readonly TempProject _project = new();
    private readonly string _backend = Directory.CreateTempSubdirectory("resilience-topology-state-").FullName;
    private readonly Dictionary<string, string> _env;

    public TopologyStacks() : this(password: null) { }

    /// <param name="secure">Give the pair its security material (`security init`) before the first `up`.</param>
    protected TopologyStacks(string? password, bool secure = false)
    {
        Password = password;
        Secure = secure;
        if (!secure) _project.KeepListenersOpen();
        _env = new Dictionary<string, string>
        {
            ["RESILIENCE_BACKEND_URL"] = "file://" + _backend,
            ["PULUMI_CONFIG_PASSPHRASE"] = Passphrase,
        };
        foreach (var (stack, machine) in new[] { (MainPcStack, Machines.MainPc), (Pc2Stack, Machines.Pc2) })
        {
            _project.Write($"Pulumi.{stack}.yaml", $"""
                config:
                  resilience:machine: {machine}
                  resilience:mainpcAddress: {MainPcAddress}
                  resilience:pc2Address: {Pc2Address}
                """ + "\n");
        }
    }

    public string? Password { get; private set; }
    public bool Secure { get; }
    public string User => "resilience";
    public string MainPcNats => $"nats://{MainPcAddress}:4222";
    public string Pc2Nats => $"nats://{Pc2Address}:4223";
    public string MainPcMonitor => $"http://{MainPcAddress}:8222";
    public string Pc2Monitor => $"http://{Pc2Address}:8223";
    public string ContainerOf(string stack) => $"{stack}-nats";

    public async Task InitializeAsync()
    {
        RemoveLabelledObjects(); // a crashed earlier run must not be mistaken for this one
        if (Secure)
        {
            var init = await CliRunner.RunAsync(_project.Dir, _env, TimeSpan.FromMinutes(2), ["security", "init", "--stack", MainPcStack]);
            if (init.ExitCode != 0) throw new InvalidOperationException($"security init failed: {init}");
        }
        if (Password is not null)
        {
            foreach (var stack in new[] { MainPcStack, Pc2Stack })
            {
                var set = SetSecret(stack, "natsPassword", Password);
                if (set.ExitCode != 0) throw new InvalidOperationException(set.ToString());
            }
        }
        await UpAsync();
        await WaitForLinkAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>`config set natsPassword --secret` on both stacks, then `up` both: authentication turned on in place.</summary>
    public async Task EnablePasswordAsync(string password)
    {
        foreach (var stack in new[] { MainPcStack, Pc2Stack })
        {
            var set = SetSecret(stack, "natsPassword", password);
            if (set.ExitCode != 0) throw new InvalidOperationException(set.ToString());
        }
        Password = password;
        await UpAsync();
    }

    private async Task UpAsync()
    {
        foreach (var stack in new[] { MainPcStack, Pc2Stack })
        {
            var up = await CliRunner.RunAsync(_project.Dir, _env, TimeSpan.FromMinutes(4), ["up", "--stack", stack, "--yes", .. NatsTargets(stack, Secure)]);
            if (up.ExitCode != 0) throw new InvalidOperationException($"up {stack} failed: {up}");
        }
    }

    public Task DisposeAsync()
    {
        foreach (var stack in new[] { Pc2Stack, MainPcStack }) CliRunner.Run(_project.Dir, _env, "destroy", "--stack", stack, "--yes");
        RemoveLabelledObjects();
        _project.Dispose();
        try { Directory.Delete(_backend, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }

    /// <summary>The URNs of what NATS needs: image, config file, volume, container, streams and consumers.</summary>
    /// <param name="secure">With the security material: also the server's CA, certificate and key files.</param>
    public static IEnumerable<string> NatsTargets(string stack, bool secure = false)
    {
        var names = new List<string>
        {
            "docker:image::nats-server", "file:file::nats/nats.conf", "docker:volume::nats-data", "docker:container::nats",
            "jetstream:stream::observability-metrics", "jetstream:stream::observability-health", "jetstream:stream::observability-alerts",
            "jetstream:consumer::observability-health-monitor",
        };
        if (stack == MainPcStack) names.Add("jetstream:consumer::observability-metrics-centralhub");
        else names.AddRange(["jetstream:consumer::observability-metrics-edgehub", "jetstream:stream::observability-alerts-central"]);
        if (secure) names.AddRange(["file:file::nats/ca.pem", "file:file::nats/server.pem", "file:file::nats/server-key.pem"]);
        return names.SelectMany(n => new[] { "--target", $"urn:resilience:{stack}::{n}" });
    }

    public StackSettings Settings(string stack)
    {
        var config = StackConfig.Load(_project.Dir, stack);
        return StackSettings.Read(new TypedConfig(config, ConfigSecrets.Decrypter(config, name => _env.GetValueOrDefault(name))));
    }

    public Task<TopologyReport> StatusAsync(string stack) => new TopologyProbe(Settings(stack), TimeSpan.FromSeconds(2)).ReadAsync(CancellationToken.None);

    /// <summary>
    /// The status once healthy, or the last one read after 20 s: a source that carried nothing for a while reads stale
    /// (Active over 10 s) until its next heartbeat.
    /// </summary>
    public async Task<TopologyReport> SettledStatusAsync(string stack)
    {
        var status = await StatusAsync(stack);
        for (var i = 0; i < 20 && !status.Healthy; i++)
        {
            await Task.Delay(1000);
            status = await StatusAsync(stack);
        }
        return status;
    }

    public void Kill(string stack) => Docker("kill", "-s", "KILL", ContainerOf(stack));

    public async Task StartAsync(string stack)
    {
        Docker("start", ContainerOf(stack));
        await WaitUntilAsync(async () => await HealthyAsync(stack == MainPcStack ? MainPcMonitor : Pc2Monitor), TimeSpan.FromSeconds(30), $"{stack} healthz");
    }

    /// <summary>How many leafnode connections a server reports right now (its /leafz); null when it does not answer.</summary>
    public static async Task<int?> LeafCountAsync(string monitorUrl)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            using var leafz = JsonDocument.Parse(await http.GetStringAsync($"{monitorUrl}/leafz"));
            return leafz.RootElement.GetProperty("leafnodes").GetInt32();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    public async Task WaitForLinkAsync(TimeSpan timeout) =>
        await WaitUntilAsync(async () => await LeafCountAsync(Pc2Monitor) >= 1 && await LeafCountAsync(MainPcMonitor) >= 1, timeout, "leaf link up on both sides");

    public static async Task<TimeSpan> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout) throw new TimeoutException($"{what}: not reached within {timeout.TotalSeconds}s");
            await Task.Delay(100);
        }
        return clock.Elapsed;
    }

    private static async Task<bool> HealthyAsync(string monitorUrl)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            return (await http.GetAsync($"{monitorUrl}/healthz")).IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static void Docker(params string[] args)
    {
        var result = Tool.Run("docker", args);
        if (result.ExitCode != 0) throw new InvalidOperationException($"docker {string.Join(' ', args)}: {result}");
    }

    private static void RemoveLabelledObjects()
    {
        foreach (var stack in new[] { Pc2Stack, MainPcStack })
        {
            foreach (var kind in new[] { "container", "volume", "image" })
            {
                var ids = Tool.Run("docker", kind, "ls", "-q", "--filter", $"label=resilience.stack={stack}").Output
                    .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToArray();
                if (ids.Length > 0) Tool.Run("docker", [kind, "rm", "-f", .. ids]);
            }
        }
    }

    /// <summary>`printf VALUE | resilience config set KEY --secret`: the value travels by stdin, never as an argument.</summary>
    private CliRunner.Result SetSecret(string stack, string key, string value)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "resilience.dll");
        var info = new ProcessStartInfo("bash", ["-c", $"printf '%s' \"$TOPOLOGY_SECRET\" | dotnet '{dll}' config set {key} --secret --stack {stack}"])
        { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _project.Dir };
        info.Environment["RESILIENCE_PROJECT"] = _project.Dir;
        info.Environment["TOPOLOGY_SECRET"] = value;
        foreach (var (k, v) in _env) info.Environment[k] = v;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return new CliRunner.Result(process.ExitCode, output.Result, error.Result);
    }
}

/// <summary>The same two stacks with resilience:natsPassword set as a secret in both stack files.</summary>
public sealed class AuthenticatedTopologyStacks() : TopologyStacks("t0p0logy-Leaf-Secret-91c2");
