using Resilience.IntegrationTests.Engine;
using Resilience.Stack.Inventory;

namespace Resilience.IntegrationTests;

/// <summary>
/// The committed demo stacks mainpc and pc2 (their fixed container names, 127.0.0.2 and 127.0.0.3, the demo fleet's 77
/// agents), brought up from nothing by the CLI once for the whole <see cref="DemoStacksCollection"/>, in a throw-away
/// copy of the project (with the committed gates) and a state backend of its own; destroyed at the end, whatever destroy
/// leaves removed anyway and reported. A test may change them as it needs and starts with <see cref="ResetAsync"/>,
/// which gives it what a fresh `up` of both gives, so the tests run in any order.
/// </summary>
public sealed class DemoStacks : IAsyncLifetime
{
    public const string MainPc = "mainpc";
    public const string Pc2 = "pc2";

    /// <summary>In the order they come up; destroyed the other way round.</summary>
    public static readonly string[] Both = [MainPc, Pc2];

    public static readonly IReadOnlyDictionary<string, string> Addresses = new Dictionary<string, string> { [MainPc] = "127.0.0.2", [Pc2] = "127.0.0.3" };

    public const string Passphrase = "demo-stacks-passphrase";
    private const string GateJob = "resilience-gate";
    private const string GateResult = "resilience_gate_result";

    // A cold publish of the runtime and the fleet under the other helpers' builds can take minutes.
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(15);
    private readonly Dictionary<string, string> _environment;
    private readonly Dictionary<string, StackAccess> _access = [];
    private readonly Dictionary<string, string> _deployedStackFiles = [];

    public DemoStacks()
    {
        _environment = new() { ["RESILIENCE_BACKEND_URL"] = $"file://{Project.PathOf("state")}", ["PULUMI_CONFIG_PASSPHRASE"] = Passphrase };
        Inventory = AgentInventory.Load(Project.PathOf("stacks/agents.yaml"));
    }

    public TempProject Project { get; } = new();

    public AgentInventory Inventory { get; }

    /// <summary>Wall time of each stack's `up` from nothing (mainpc first, then pc2), the README's main job.</summary>
    public Dictionary<string, TimeSpan> ColdUp { get; } = [];

    /// <summary>
    /// The operator's way into <paramref name="stack"/>'s listeners (https, the pair's CA and the operator's credential:
    /// the committed stacks make their material at their first `up`), read once its stack file has the material.
    /// </summary>
    public StackAccess Access(string stack)
    {
        if (_access.TryGetValue(stack, out var access)) return access;
        access = StackAccess.Read(Project.Dir, stack, _environment);
        Assert.True(access.Security is not null, $"{stack} was brought up without its TLS and credential material");
        return _access[stack] = access;
    }

    /// <summary>The operator's URL of a listener of <paramref name="stack"/>: https://address:port.</summary>
    public string Url(string stack, int port) => Access(stack).Url(Addresses[stack], port);

    public Task<CliRunner.Result> RunAsync(params string[] args) => CliRunner.RunAsync(Project.Dir, _environment, CommandTimeout, args);

    /// <summary>Runs the CLI and fails the test, showing its output, unless it exits 0.</summary>
    public async Task<CliRunner.Result> MustRunAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, $"resilience {string.Join(' ', args)}: {result}");
        return result;
    }

    /// <summary>
    /// What a fresh `up` of both stacks gives: the committed stack files (with the material their first `up` made) and gates, no gate baseline recorded, both
    /// stacks converged with the real world (refreshed first: stopped, killed or removed containers are back, a changed
    /// week is undone and its agents told), every agent of both fleets running (none failed, hung or slow), and no gate
    /// result on a Pushgateway or a hub. Cheap when nothing changed: a refresh and an `up` with nothing to do per stack.
    /// </summary>
    public async Task ResetAsync()
    {
        WriteCommittedGates();
        foreach (var (stack, content) in _deployedStackFiles) File.WriteAllText(Project.PathOf($"Pulumi.{stack}.yaml"), content);
        foreach (var stack in Both) File.Delete(Project.PathOf(Path.Combine("state", stack, "gate-baselines.json")));
        foreach (var stack in Both) await MustRunAsync("up", "--stack", stack, "--refresh", "--yes");
        foreach (var stack in Both) await RecoverAgentsAsync(stack);
        var deleted = 0;
        foreach (var stack in Both) deleted += await DeleteGateResultsAsync(stack);
        if (deleted == 0) return;
        // The hubs drop a deleted group's series at their next scrape of the Pushgateway (CentralHub every 30 s). A copy
        // CentralHub got by remote write from EdgeHub may come without a staleness marker (seen in CI after a test
        // stopped and restarted PC2): it leaves after Prometheus' 5 min lookback at the latest.
        var gone = await Eventually.WithinAsync(TimeSpan.FromMinutes(6), async () =>
            await CountAsync(MainPc, 9000, GateResult) == 0 && await CountAsync(Pc2, 9100, GateResult) == 0);
        Assert.True(gone is not null, $"{GateResult} still on a hub 6 min after its Pushgateway groups were deleted");
    }

    public async Task InitializeAsync()
    {
        foreach (var stack in Both) DockerCli.RemoveLabelled(stack);
        foreach (var stack in Both) File.Copy(Path.Combine(RepoPaths.Root, $"Pulumi.{stack}.yaml"), Project.PathOf($"Pulumi.{stack}.yaml"), overwrite: true);
        WriteCommittedGates();
        foreach (var stack in Both)
        {
            var clock = Stopwatch.StartNew();
            await MustRunAsync("up", "--stack", stack, "--yes");
            ColdUp[stack] = clock.Elapsed;
        }
        // The committed files plus the material the first `up` wrote into both: a reset goes back to these (the
        // committed ones alone would make a new CA and a new secrets key, which the deployed state cannot be read with).
        foreach (var stack in Both) _deployedStackFiles[stack] = File.ReadAllText(Project.PathOf($"Pulumi.{stack}.yaml"));
    }

    /// <summary>
    /// Destroys both stacks (pc2 first); stopped containers are started first, since destroy deletes the streams through
    /// their NATS server. Whatever destroy left behind is removed anyway, then reported.
    /// </summary>
    public Task DisposeAsync()
    {
        foreach (var stack in Both)
        {
            var stopped = Tool.Run("docker", "ps", "-aq", "--filter", $"label=resilience.stack={stack}", "--filter", "status=exited").Output
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (stopped.Length > 0) Tool.Run("docker", ["start", .. stopped]);
        }
        foreach (var access in _access.Values) access.Dispose();
        return StackTeardown.DestroyAsync(RunAsync, Project, [.. Both.Reverse()]);
    }

    private void WriteCommittedGates()
    {
        var gates = Project.PathOf("gates");
        if (Directory.Exists(gates)) Directory.Delete(gates, recursive: true);
        Directory.CreateDirectory(gates);
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "gates"))) File.Copy(file, Path.Combine(gates, Path.GetFileName(file)));
    }

    /// <summary>Deletes every group a gate verdict was pushed in (job resilience-gate) from <paramref name="stack"/>'s Pushgateway; how many.</summary>
    private async Task<int> DeleteGateResultsAsync(string stack)
    {
        var pushgateway = Url(stack, 9091);
        var http = Access(stack).Http;
        var groups = JsonNode.Parse(await http.GetStringAsync($"{pushgateway}/api/v1/metrics"))!["data"]!.AsArray()
            .Select(g => g!["labels"]!.AsObject())
            .Where(labels => (string?)labels["job"] == GateJob)
            .ToList();
        foreach (var labels in groups)
        {
            var path = string.Concat(labels.Where(l => l.Key != "job" && !string.IsNullOrEmpty((string?)l.Value))
                .Select(l => $"/{l.Key}/{Uri.EscapeDataString((string)l.Value!)}"));
            using var deleted = await http.DeleteAsync($"{pushgateway}/metrics/job/{GateJob}{path}");
            Assert.True(deleted.IsSuccessStatusCode, $"DELETE {pushgateway}/metrics/job/{GateJob}{path}: {(int)deleted.StatusCode}");
        }
        return groups.Count;
    }

    private async Task<int> CountAsync(string stack, int hubPort, string query)
    {
        var body = JsonNode.Parse(await Access(stack).Http.GetStringAsync($"{Url(stack, hubPort)}/api/v1/query?query={Uri.EscapeDataString(query)}"))!;
        return body["data"]!["result"]!.AsArray().Count;
    }

    /// <summary>Every agent of <paramref name="stack"/>'s fleet that is not running (failed, hung, slow) recovered.</summary>
    private async Task RecoverAgentsAsync(string stack)
    {
        var http = Access(stack).Http;
        var agents = JsonNode.Parse(await http.GetStringAsync($"{Url(stack, 9190)}/agents"))!.AsArray();
        foreach (var agent in agents.Where(a => (string?)a!["mode"] != "running"))
        {
            using var recovered = await http.PostAsync($"{Url(stack, 9190)}/agents/{(string)agent!["name"]!}/recover", null);
            Assert.True(recovered.IsSuccessStatusCode, $"POST /agents/{agent["name"]}/recover on {stack}: {(int)recovered.StatusCode} {await recovered.Content.ReadAsStringAsync()}");
        }
    }
}
