using Resilience.Operations.Status;
using Resilience.Stack.Config;

namespace Resilience.IntegrationTests.Topology;

/// <summary>
/// A cluster topology's NATS deployed by the real CLI from a throw-away project: one stack per node on host
/// networking (stacks it-topo-*, each machine on its own loopback address), only the resources NATS needs (--target). The node
/// stacks go up first and mainpc last, since mainpc's stack declares the replicated streams. Everything the stacks
/// made is destroyed and every Docker object labelled with their names removed afterwards.
/// </summary>
public abstract class ClusterStacks : IAsyncLifetime
{
    private readonly TempProject _project = new TempProject().KeepListenersOpen();
    private readonly string _backend = Directory.CreateTempSubdirectory("resilience-cluster-state-").FullName;

    protected ClusterStacks(string topology, string prefix, IReadOnlyDictionary<string, string> addresses)
    {
        Topology = topology;
        Addresses = addresses;
        Env = new Dictionary<string, string> { ["RESILIENCE_BACKEND_URL"] = "file://" + _backend };
        Stacks = addresses.Keys.ToDictionary(m => m, m => $"{prefix}-{m}");
        foreach (var (machine, stack) in Stacks) WriteStackFile(stack, machine, topology);
    }

    public string Topology { get; }
    public IReadOnlyDictionary<string, string> Addresses { get; }

    /// <summary>Machine → stack name.</summary>
    public IReadOnlyDictionary<string, string> Stacks { get; }

    public IReadOnlyDictionary<string, string> Env { get; }
    public string ProjectDir => _project.Dir;

    public string MainPcStack => Stacks[Machines.MainPc];

    public string NatsUrl(string machine) => $"nats://{Addresses[machine]}:{Port(machine, nats: true)}";
    public string MonitorUrl(string machine) => $"http://{Addresses[machine]}:{Port(machine, nats: false)}";

    /// <summary>Every node's client URL: a client that loses its server reconnects to another.</summary>
    public string ClusterUrl => string.Join(",", Addresses.Keys.Select(NatsUrl));

    public string ContainerOf(string machine) => $"{Stacks[machine]}-nats";

    private static int Port(string machine, bool nats) => (machine, nats) switch
    {
        (Machines.MainPc, true) => 4222,
        (Machines.MainPc, false) => 8222,
        (Machines.Pc2, true) => 4223,
        (Machines.Pc2, false) => 8223,
        (_, true) => 4224,
        _ => 8224,
    };

    /// <summary>Rewrites a stack file with another topology (to preview a switch).</summary>
    public void WriteStackFile(string stack, string machine, string topology)
    {
        var lines = new List<string> { "config:", $"  resilience:machine: {machine}", $"  resilience:natsTopology: {topology}" };
        lines.AddRange(Addresses.Select(a => $"  resilience:{a.Key}Address: {a.Value}"));
        _project.Write($"Pulumi.{stack}.yaml", string.Join("\n", lines) + "\n");
    }

    public async Task InitializeAsync()
    {
        RemoveLabelledObjects(); // a crashed earlier run must not be mistaken for this one
        foreach (var machine in Stacks.Keys.Where(m => m != Machines.MainPc).Append(Machines.MainPc))
        {
            var up = await UpAsync(machine);
            if (up.ExitCode != 0) throw new InvalidOperationException($"up {Stacks[machine]} failed: {up}");
        }
    }

    public Task<CliRunner.Result> UpAsync(string machine) =>
        CliRunner.RunAsync(_project.Dir, Env, TimeSpan.FromMinutes(4), ["up", "--stack", Stacks[machine], "--yes", .. Targets(machine)]);

    public Task<CliRunner.Result> CliAsync(params string[] args) => CliRunner.RunAsync(_project.Dir, Env, TimeSpan.FromMinutes(2), args);

    public Task DisposeAsync()
    {
        foreach (var stack in Stacks.Values.Reverse()) CliRunner.Run(_project.Dir, Env, "destroy", "--stack", stack, "--yes");
        RemoveLabelledObjects();
        _project.Dispose();
        try { Directory.Delete(_backend, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }

    /// <summary>The URNs of what NATS needs: image, config file, volume, container; on mainpc also every stream and consumer.</summary>
    public IEnumerable<string> Targets(string machine)
    {
        var names = new List<string> { "docker:image::nats-server", "file:file::nats/nats.conf", "docker:volume::nats-data", "docker:container::nats" };
        if (machine == Machines.MainPc)
        {
            names.AddRange(JetStreamTopologyNames.Streams.Select(s => $"jetstream:stream::{s}"));
            names.AddRange(JetStreamTopologyNames.ClusterConsumers.Select(c => $"jetstream:consumer::{c}"));
        }
        return names.SelectMany(n => new[] { "--target", $"urn:resilience:{Stacks[machine]}::{n}" });
    }

    public StackSettings Settings(string machine)
    {
        var config = StackConfig.Load(_project.Dir, Stacks[machine]);
        return StackSettings.Read(new TypedConfig(config, ConfigSecrets.Decrypter(config, name => Env.GetValueOrDefault(name))));
    }

    public Task<TopologyReport> StatusAsync() => new TopologyProbe(Settings(Machines.MainPc), TimeSpan.FromSeconds(2)).ReadAsync(CancellationToken.None);

    public void Kill(string machine) => Docker("kill", "-s", "KILL", ContainerOf(machine));

    /// <summary>The node's last log lines (a diagnostic for a failed run).</summary>
    public string LogTail(string machine, int lines) => Tool.Run("docker", "logs", "--tail", lines.ToString(System.Globalization.CultureInfo.InvariantCulture), ContainerOf(machine)).ToString();

    public async Task StartAsync(string machine)
    {
        Docker("start", ContainerOf(machine));
        await TopologyStacks.WaitUntilAsync(async () => await MetaClusterSizeAsync(machine) >= 0, TimeSpan.FromSeconds(30), $"{machine} /jsz");
    }

    /// <summary>The node's meta cluster size from its /jsz, or -1 when it does not answer.</summary>
    public async Task<int> MetaClusterSizeAsync(string machine)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            using var jsz = JsonDocument.Parse(await http.GetStringAsync($"{MonitorUrl(machine)}/jsz"));
            return jsz.RootElement.TryGetProperty("meta_cluster", out var meta) && meta.TryGetProperty("cluster_size", out var size) ? size.GetInt32() : 0;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return -1;
        }
    }

    /// <summary>
    /// The message count and last sequence of the node's OWN replica of a stream (its /jsz with account and stream
    /// details, read from that server's store), or null when it does not answer or holds no replica.
    /// </summary>
    public async Task<(ulong Messages, ulong LastSeq)?> LocalReplicaAsync(string machine, string stream)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            using var jsz = JsonDocument.Parse(await http.GetStringAsync($"{MonitorUrl(machine)}/jsz?accounts=true&streams=true"));
            if (!jsz.RootElement.TryGetProperty("account_details", out var accounts)) return null;
            foreach (var account in accounts.EnumerateArray())
            {
                if (!account.TryGetProperty("stream_detail", out var streams)) continue;
                foreach (var s in streams.EnumerateArray())
                {
                    if (s.GetProperty("name").GetString() != stream) continue;
                    var state = s.GetProperty("state");
                    return (state.GetProperty("messages").GetUInt64(), state.GetProperty("last_seq").GetUInt64());
                }
            }
            return null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
        {
            return null;
        }
    }

    private static void Docker(params string[] args)
    {
        var result = Tool.Run("docker", args);
        if (result.ExitCode != 0) throw new InvalidOperationException($"docker {string.Join(' ', args)}: {result}");
    }

    private void RemoveLabelledObjects()
    {
        foreach (var stack in Stacks.Values)
        {
            foreach (var kind in new[] { "container", "volume", "image" })
            {
                var ids = Tool.Run("docker", kind, "ls", "-q", "--filter", $"label=resilience.stack={stack}").Output
                    .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToArray();
                if (ids.Length > 0) Tool.Run("docker", [kind, "rm", "-f", .. ids]);
            }
        }
    }
}

/// <summary>The names the cluster topologies declare (mirrors JetStreamTopology; asserted by its unit tests).</summary>
public static class JetStreamTopologyNames
{
    public static readonly string[] Streams = ["observability-metrics", "observability-health", "observability-alerts"];

    public static readonly string[] ClusterConsumers =
    [
        "observability-metrics-centralhub", "observability-metrics-edgehub", "observability-health-monitor",
        "observability-health-peer-pc2", "observability-health-peer-mainpc",
    ];
}

/// <summary>MainPC, PC2 and the witness: one JetStream cluster, R3 streams (stacks it-topo-r3-*).</summary>
public sealed class ThreeNodeStacks() : ClusterStacks(NatsTopologies.ThreeNode, "it-topo-r3", new Dictionary<string, string>
{
    [Machines.MainPc] = LoopbackAddresses.For("topology-r3-mainpc"),
    [Machines.Pc2] = LoopbackAddresses.For("topology-r3-pc2"),
    [Machines.Witness] = LoopbackAddresses.For("topology-r3-witness"),
});

/// <summary>The seeds' two-node cluster of MainPC and PC2, R2 streams (stacks it-topo-r2-*).</summary>
public sealed class TwoNodeStacks() : ClusterStacks(NatsTopologies.TwoNode, "it-topo-r2", new Dictionary<string, string>
{
    [Machines.MainPc] = LoopbackAddresses.For("topology-r2-mainpc"),
    [Machines.Pc2] = LoopbackAddresses.For("topology-r2-pc2"),
});
