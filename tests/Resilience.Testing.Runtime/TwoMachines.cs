using System.Text.Json;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using NATS.Net;

namespace Resilience.Testing.Runtime;

/// <summary>
/// Two machines on loopback addresses, shaped as the stacks deploy them: a nats-server per machine, each its own
/// JetStream domain, PC2 joined to MainPC by a leafnode that denies <c>observability.&gt;</c>; MainPC's
/// observability-health sources PC2's, PC2's observability-health-central sources MainPC's filtered to
/// <c>observability.health.mainpc</c>. A Prometheus hub, two agents and a runtime per machine; each runtime's
/// outgoing connections leave from its machine's address, so <see cref="Partition"/> can cut the machines apart.
/// Not tied to xunit: the benchmark uses it too.
/// </summary>
public sealed class TwoMachines : IAsyncDisposable
{
    public const int NatsPort = 19250;
    public const int HubPort = 19251;
    public const int RuntimePort = 19254;
    public const int LeafPort = 19257;
    public const int MonitorPort = 19258;
    public const int AgentPort = 19260;

    private readonly List<IAsyncDisposable> _owned = [];
    private readonly List<IDisposable> _processes = [];

    private TwoMachines(string mainAddress, string pc2Address, string dir)
    {
        MainAddress = mainAddress;
        Pc2Address = pc2Address;
        Dir = dir;
        Partition = new MachinePartition(mainAddress, pc2Address, mainAddress, LeafPort);
    }

    public string MainAddress { get; }

    public string Pc2Address { get; }

    public string Dir { get; }

    public MachinePartition Partition { get; }

    public RuntimeUnderTest Main { get; private set; } = null!;

    public RuntimeUnderTest Pc2 { get; private set; } = null!;

    public NatsClient MainNats { get; private set; } = null!;

    public NatsClient Pc2Nats { get; private set; } = null!;

    public ServerProcess MainHub { get; private set; } = null!;

    public ServerProcess Pc2Hub { get; private set; } = null!;

    public Dictionary<string, AgentServer> MainAgents { get; } = [];

    public Dictionary<string, AgentServer> Pc2Agents { get; } = [];

    public Uri HubUrl(string address) => new($"http://{address}:{HubPort}");

    public static async Task<TwoMachines> StartAsync(string mainAddress, string pc2Address, string dir, string probeInterval = "250ms", string probeTimeout = "250ms")
    {
        var m = new TwoMachines(mainAddress, pc2Address, dir);
        try
        {
            await m.StartServersAsync();
            await m.CreateStreamsAsync();
            foreach (var (address, agents) in new[] { (mainAddress, m.MainAgents), (pc2Address, m.Pc2Agents) })
            {
                foreach (var (name, port) in new[] { ("agent-a", AgentPort), ("agent-b", AgentPort + 1) })
                {
                    var agent = await AgentServer.StartAsync(name, address, port);
                    m._owned.Add(agent);
                    agents[name] = agent;
                }
            }
            m.Main = await RuntimeUnderTest.StartAsync(m.RuntimeYaml("mainpc", mainAddress, "pc2", pc2Address, "observability-health", probeInterval, probeTimeout), dir, "runtime-mainpc");
            m._owned.Add(m.Main);
            m.Pc2 = await RuntimeUnderTest.StartAsync(m.RuntimeYaml("pc2", pc2Address, "mainpc", mainAddress, "observability-health-central", probeInterval, probeTimeout), dir, "runtime-pc2");
            m._owned.Add(m.Pc2);
            return m;
        }
        catch
        {
            await m.DisposeAsync();
            throw;
        }
    }

    // Each machine's hub is its own store here (neither forwards to the other): the resend window is off.
    private string RuntimeYaml(string machine, string address, string peer, string peerAddress, string peerStream, string probeInterval, string probeTimeout) => $$"""
        machine: {{machine}}
        listen: http://{{address}}:{{RuntimePort}}
        sourceAddress: {{address}}
        tiers:
          - { name: local-hub, kind: hub, url: "http://{{address}}:{{HubPort}}" }
          - { name: remote-hub, kind: hub, url: "http://{{peerAddress}}:{{HubPort}}" }
        buffer: { path: "{{Dir}}/buffer-{{machine}}.log", maxBytes: 16777216, fsync: never }
        probe: { interval: {{probeInterval}}, timeout: {{probeTimeout}}, failoverThreshold: 3, failbackHold: 2s, maxBackoff: 1s, resendWindow: 0s }
        peer:
          machine: {{peer}}
          hubUrl: http://{{peerAddress}}:{{HubPort}}
          jetStreamDomain: {{peer}}
        health: { interval: 120s, timeout: 2s, probeInterval: 200ms }
        nats:
          url: nats://{{address}}:{{NatsPort}}
          kvBucket: resilience-failover
          failoverSubject: observability.alerts.failover
          healthSubjectPrefix: observability.health
          peerHealthStream: {{peerStream}}
          peerHealthConsumer: observability-health-peer
        agents:
          - { name: agent-a, healthUrl: "http://{{address}}:{{AgentPort}}/health" }
          - { name: agent-b, healthUrl: "http://{{address}}:{{AgentPort + 1}}/health" }
        """;

    private async Task StartServersAsync()
    {
        var main = Servers.NatsFromConfig(Dir, "nats-mainpc", $$"""
            server_name: rt-mainpc
            listen: {{MainAddress}}:{{NatsPort}}
            http: {{MainAddress}}:{{MonitorPort}}
            ping_interval: "2s"
            ping_max: 2
            jetstream { store_dir: "{{Dir}}/js-mainpc", domain: mainpc }
            leafnodes { listen: {{MainAddress}}:{{LeafPort}} }
            """, MainAddress, MonitorPort);
        var pc2 = Servers.NatsFromConfig(Dir, "nats-pc2", $$"""
            server_name: rt-pc2
            listen: {{Pc2Address}}:{{NatsPort}}
            http: {{Pc2Address}}:{{MonitorPort}}
            ping_interval: "2s"
            ping_max: 2
            jetstream { store_dir: "{{Dir}}/js-pc2", domain: pc2 }
            leafnodes {
              reconnect: 1
              remotes: [ { url: "nats-leaf://{{MainAddress}}:{{LeafPort}}", deny_exports: ["observability.>"], deny_imports: ["observability.>"] } ]
            }
            """, Pc2Address, MonitorPort);
        MainHub = Servers.Prometheus(Dir, "hub-mainpc", MainAddress, HubPort);
        Pc2Hub = Servers.Prometheus(Dir, "hub-pc2", Pc2Address, HubPort);
        _processes.AddRange([main, pc2, MainHub, Pc2Hub]);
        await Task.WhenAll(main.StartAsync(), pc2.StartAsync(), MainHub.StartAsync(), Pc2Hub.StartAsync());
        MainNats = new NatsClient(new NatsOpts { Url = $"nats://{MainAddress}:{NatsPort}" });
        Pc2Nats = new NatsClient(new NatsOpts { Url = $"nats://{Pc2Address}:{NatsPort}" });
        _owned.Add(MainNats);
        _owned.Add(Pc2Nats);
        await WaitAsync(async () => await AnswersAsync(Pc2Nats, "$JS.mainpc.API.INFO") && await AnswersAsync(MainNats, "$JS.pc2.API.INFO"),
            TimeSpan.FromSeconds(20), "the leafnode to connect");
    }

    private async Task CreateStreamsAsync()
    {
        var mainJs = MainNats.CreateJetStreamContext();
        var pc2Js = Pc2Nats.CreateJetStreamContext();
        await pc2Js.CreateOrUpdateStreamAsync(new StreamConfig("observability-health", ["observability.health.*"]) { DuplicateWindow = TimeSpan.FromMinutes(2) });
        await pc2Js.CreateOrUpdateStreamAsync(new StreamConfig("observability-alerts", ["observability.alerts.*"]));
        await mainJs.CreateOrUpdateStreamAsync(new StreamConfig("observability-health", ["observability.health.*"])
        {
            DuplicateWindow = TimeSpan.FromMinutes(2),
            Sources = [new StreamSource { Name = "observability-health", Domain = "pc2" }],
        });
        await mainJs.CreateOrUpdateStreamAsync(new StreamConfig("observability-alerts", ["observability.alerts.*"]));
        await pc2Js.CreateOrUpdateStreamAsync(new StreamConfig
        {
            Name = "observability-health-central",
            Sources = [new StreamSource { Name = "observability-health", Domain = "mainpc", FilterSubject = "observability.health.mainpc" }],
        });
        // MainPC's consumer is made here, as the stack does; PC2's is left for the runtime to create.
        await mainJs.CreateOrUpdateConsumerAsync("observability-health", new ConsumerConfig("observability-health-peer")
        {
            DurableName = "observability-health-peer",
            FilterSubject = "observability.health.pc2",
            AckPolicy = ConsumerConfigAckPolicy.Explicit,
        });
    }

    private static async Task<bool> AnswersAsync(NatsClient client, string subject)
    {
        try
        {
            await client.Connection.RequestAsync<byte[]>(subject, replyOpts: new NatsSubOpts { Timeout = TimeSpan.FromMilliseconds(500) });
            return true;
        }
        catch (NatsException)
        {
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Every message of <paramref name="stream"/> on <paramref name="subject"/>, as JSON, in stream order.</summary>
    public static async Task<List<JsonElement>> ReadStreamAsync(NatsClient client, string stream, string subject)
    {
        var s = await client.CreateJetStreamContext().GetStreamAsync(stream);
        var result = new List<JsonElement>();
        for (var seq = s.Info.State.FirstSeq; seq <= s.Info.State.LastSeq && s.Info.State.Messages > 0; seq++)
        {
            var msg = await s.GetAsync(new StreamMsgGetRequest { Seq = seq });
            if (msg.Message.Subject == subject)
            {
                result.Add(JsonDocument.Parse(msg.Message.Data.ToArray()).RootElement.Clone());
            }
        }
        return result;
    }

    public static Task WaitAsync(Func<Task<bool>> condition, TimeSpan limit, string what) =>
        Poll.UntilAsync(condition, limit, what);

    public static async Task<JsonElement> PartitionAsync(RuntimeUnderTest runtime)
    {
        using var status = await runtime.StatusAsync();
        return status.RootElement.GetProperty("partition").Clone();
    }

    /// <summary>The merged view as served on /health: the agents array, raw.</summary>
    public static async Task<string> HealthViewAsync(RuntimeUnderTest runtime)
    {
        using var doc = JsonDocument.Parse(await runtime.Http.GetStringAsync("/health"));
        return doc.RootElement.GetProperty("agents").GetRawText();
    }

    public async ValueTask DisposeAsync()
    {
        Partition.Dispose();
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }
        foreach (var process in _processes)
        {
            process.Dispose();
        }
    }
}
