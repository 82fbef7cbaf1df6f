using Resilience.Model;
using Resilience.Stack;
using Resilience.Stack.Config;

namespace Resilience.Tests.Stack;

/// <summary>The graph each resilience:natsTopology gives each stack, and the config mistakes it refuses.</summary>
public class TopologyProgramTests
{
    private static ResourceGraph Graph(TempProject project, string stack) =>
        StackProgram.Run(StackConfig.Load(project.Dir, stack), project.Dir);

    private static TempProject WithTopology(string topology)
    {
        var project = new TempProject();
        project.Replace("Pulumi.yaml", "    default: leafnode", $"    default: {topology}");
        return project;
    }

    private static List<string> Names(ResourceGraph g, string type) => g.OfType(type).Select(r => r.Name).Order().ToList();

    private static string NatsConfig(ResourceGraph g) => g.Find(Urns.For(g.Stack, "file:file", "nats/nats.conf"))!.Inputs["content"]!.GetValue<string>();

    private static Resource Consumer(ResourceGraph g, string name) => g.Find(Urns.For(g.Stack, "jetstream:consumer", name))!;

    private static string Input(Resource r, string key) => r.Inputs[key]!.GetValue<string>();

    [Fact]
    public void Leafnode_adds_the_health_peer_consumers_and_pc2s_filtered_copy_of_mainpcs_health()
    {
        using var p = new TempProject();
        var pc2 = Graph(p, "pc2");
        var copy = pc2.Find(Urns.For("pc2", "jetstream:stream", "observability-health-central"))!;
        Assert.Empty(copy.Inputs["subjects"]!.AsArray());
        var source = Assert.Single(copy.Inputs["sources"]!.AsArray())!;
        Assert.Equal(("observability-health", "mainpc", "observability.health.mainpc"),
            (source["name"]!.GetValue<string>(), source["domain"]!.GetValue<string>(), source["filterSubject"]!.GetValue<string>()));
        var pc2Peer = Consumer(pc2, "observability-health-peer");
        Assert.Equal(("observability-health-central", "observability.health.mainpc"), (Input(pc2Peer, "stream"), Input(pc2Peer, "filterSubject")));
        Assert.Contains(copy.Urn, pc2Peer.DependsOn);

        var mainpc = Graph(p, "mainpc");
        var mainPeer = Consumer(mainpc, "observability-health-peer");
        Assert.Equal(("observability-health", "observability.health.pc2"), (Input(mainPeer, "stream"), Input(mainPeer, "filterSubject")));
        Assert.Equal(["observability-health-monitor", "observability-health-peer", "observability-metrics-centralhub"], Names(mainpc, "jetstream:consumer"));
        Assert.Equal(["observability-health-monitor", "observability-health-peer", "observability-metrics-edgehub"], Names(pc2, "jetstream:consumer"));
        Assert.Empty(mainpc.Warnings);
        Assert.Equal("leafnode", mainpc.Outputs["natsTopology"].Value);
        Assert.NotNull(mainpc.Outputs["natsTopology"].WarnOnChange);
        Assert.Contains("domain: mainpc", NatsConfig(mainpc));
        Assert.DoesNotContain("cluster {", NatsConfig(mainpc));
    }

    [Fact]
    public void Three_node_mainpc_owns_every_R3_stream_and_consumer_and_the_others_declare_none()
    {
        using var p = WithTopology("three-node");
        var mainpc = Graph(p, "mainpc");
        Assert.Equal(["observability-alerts", "observability-health", "observability-metrics"], Names(mainpc, "jetstream:stream"));
        foreach (var stream in mainpc.OfType("jetstream:stream"))
        {
            Assert.Equal(3, stream.Inputs["replicas"]!.GetValue<int>());
            Assert.Null(stream.Inputs["sources"]);
            Assert.Null(stream.Inputs["domain"]);
            Assert.Equal("nats://127.0.0.2:4222", Input(stream, "server"));
        }
        Assert.Equal(["observability-health-monitor", "observability-health-peer-mainpc", "observability-health-peer-pc2",
            "observability-metrics-centralhub", "observability-metrics-edgehub"], Names(mainpc, "jetstream:consumer"));
        Assert.Equal("observability.health.mainpc", Input(Consumer(mainpc, "observability-health-peer-pc2"), "filterSubject"));
        Assert.Equal("observability.health.pc2", Input(Consumer(mainpc, "observability-health-peer-mainpc"), "filterSubject"));
        Assert.Empty(mainpc.Warnings);

        var config = NatsConfig(mainpc);
        Assert.Contains("listen: 127.0.0.2:6222", config);
        Assert.Contains("\"nats-route://127.0.0.3:6222\"", config);
        Assert.Contains("\"nats-route://127.0.0.4:6222\"", config);
        Assert.DoesNotContain("domain:", config);
        Assert.DoesNotContain("leafnodes", config);
        var ready = mainpc.Find(Urns.For("mainpc", "docker:container", "nats"))!.Inputs["ready"]!["url"]!.GetValue<string>();
        Assert.Equal("http://127.0.0.2:8222/healthz?js-enabled-only=true", ready);

        var pc2 = Graph(p, "pc2");
        Assert.Empty(pc2.OfType("jetstream:stream"));
        Assert.Empty(pc2.OfType("jetstream:consumer"));
        Assert.Contains(pc2.OfType("file:file"), f => f.Name.StartsWith("edgehub/", StringComparison.Ordinal));
    }

    [Fact]
    public void The_witness_deploys_a_nats_server_and_nothing_else()
    {
        using var p = WithTopology("three-node");
        var witness = Graph(p, "witness");
        Assert.Equal(["docker:container::nats", "docker:image::nats-server", "docker:volume::nats-data", "file:file::nats/nats.conf"],
            witness.Resources.Select(r => $"{r.Type}::{r.Name}").Order().ToList());
        var config = NatsConfig(witness);
        Assert.Contains("server_name: witness", config);
        Assert.Contains("listen: 127.0.0.4:4224", config);
        Assert.Contains("\"nats-route://127.0.0.2:6222\"", config);
        Assert.Contains("\"nats-route://127.0.0.3:6222\"", config);
        Assert.Equal("nats://127.0.0.4:4224", witness.Outputs["natsUrl"].Value);
    }

    [Fact]
    public void Two_node_is_R2_between_mainpc_and_pc2_and_every_stack_carries_the_warning()
    {
        using var p = WithTopology("two-node");
        var mainpc = Graph(p, "mainpc");
        Assert.All(mainpc.OfType("jetstream:stream"), s => Assert.Equal(2, s.Inputs["replicas"]!.GetValue<int>()));
        var config = NatsConfig(mainpc);
        Assert.Contains("\"nats-route://127.0.0.3:6222\"", config);
        Assert.DoesNotContain("127.0.0.4", config);
        foreach (var g in new[] { mainpc, Graph(p, "pc2") })
        {
            var warning = Assert.Single(g.Warnings);
            Assert.Contains("cannot survive the loss of either node", warning);
        }
    }

    [Fact]
    public void Cluster_routes_carry_the_credentials_inside_the_secret_config_file()
    {
        using var p = WithTopology("three-node");
        var config = StackConfig.Load(p.Dir, "mainpc");
        var settings = StackSettings.Read(new TypedConfig(config, _ => "route-secret")) with { NatsPassword = "route-secret" };
        var graph = StackProgram.Build(settings, Resilience.Stack.Inventory.AgentInventory.Load(p.PathOf("stacks/agents.yaml")),
            new Resilience.Stack.Rendering.TemplateRenderer(p.PathOf("templates")), p.Dir, runtimeSources: "sha256:" + new string('0', 64), fleetSources: "sha256:" + new string('1', 64));
        var file = graph.Find(Urns.For("mainpc", "file:file", "nats/nats.conf"))!;
        Assert.Equal("0600", file.Inputs["mode"]!.GetValue<string>());
        var content = Secret.Reveal(file.Inputs["content"])!;
        Assert.Contains("\"nats-route://resilience:route-secret@127.0.0.3:6222\"", content);
    }

    [Fact]
    public void An_unknown_topology_names_the_file_line_and_key_and_suggests_the_near_one()
    {
        using var p = new TempProject();
        p.Append("Pulumi.pc2.yaml", "  resilience:natsTopology: three-nodes\n");
        var e = Assert.Throws<ConfigException>(() => Graph(p, "pc2"));
        Assert.Contains("Pulumi.pc2.yaml", e.Message);
        Assert.Contains($"line {File.ReadAllLines(p.PathOf("Pulumi.pc2.yaml")).Length}: resilience:natsTopology", e.Message);
        Assert.Contains("'three-nodes' is not one of leafnode, three-node, two-node; did you mean 'three-node'?", e.Message);
    }

    [Theory]
    [InlineData("leafnode")]
    [InlineData("two-node")]
    public void A_witness_outside_the_three_node_topology_is_refused(string topology)
    {
        using var p = WithTopology(topology);
        var e = Assert.Throws<ConfigException>(() => Graph(p, "witness"));
        Assert.Contains("Pulumi.witness.yaml", e.Message);
        Assert.Contains("resilience:machine", e.Message);
        Assert.Contains($"three-node NATS topology only, but resilience:natsTopology is '{topology}'", e.Message);
    }

    [Fact]
    public void A_witness_on_a_mainpc_cluster_port_is_refused()
    {
        using var p = WithTopology("three-node");
        p.Append("Pulumi.witness.yaml", "  resilience:witnessAddress: 127.0.0.2\n  resilience:witnessNatsPort: 6222\n");
        var e = Assert.Throws<ConfigException>(() => Graph(p, "witness"));
        Assert.Contains("host port 6222 on 127.0.0.2 is claimed twice", e.Message);
    }
}
