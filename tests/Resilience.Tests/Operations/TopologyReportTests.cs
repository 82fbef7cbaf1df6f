using Resilience.Operations.Status;
using Resilience.Stack.Config;
using static Resilience.Tests.Operations.MonitorAnswerFixtures;

namespace Resilience.Tests.Operations;

/// <summary>The verdict of `status` on machine views built from captured server answers.</summary>
public sealed class TopologyReportTests
{
    private static MachineStatus Node(string name, string jsz) =>
        new(name, "node", $"nats://{name}", $"http://{name}", null, LeafStatus.NotApplicable, []) { Cluster = JszAnswer.Parse(Read(jsz)) };

    private static MachineStatus Leaf(string name, string leafz, params SourceStatus[] sources) =>
        new(name, "node", $"nats://{name}", $"http://{name}", null, LeafzAnswer.Parse(Read(leafz)),
            [new StreamStatus("observability-metrics", 10, 10, sources)]);

    private static TopologyReport Cluster(params MachineStatus[] machines) =>
        new("s", "n1", machines) { Topology = NatsTopologies.ThreeNode };

    [Fact]
    public void A_cluster_is_whole_when_every_node_names_the_same_leader_and_it_sees_every_peer_current()
    {
        var report = Cluster(Node("n1", "jsz-meta-leader"), Node("n2", "jsz-meta-follower"), Node("n3", "jsz-meta-follower-n3"));

        Assert.True(report.Healthy);
    }

    [Fact]
    public void A_cluster_with_a_stopped_node_is_degraded()
    {
        var stopped = new MachineStatus("n3", "node", "nats://n3", "http://n3", "connection refused", LeafStatus.NotApplicable, [])
        {
            Cluster = ClusterStatus.Unreachable("monitor http://n3 unreachable: connection refused"),
        };

        Assert.False(Cluster(Node("n1", "jsz-meta-leader-peer-stopped"), Node("n2", "jsz-meta-follower"), stopped).Healthy);
    }

    [Fact]
    public void A_cluster_is_degraded_when_the_leader_sees_a_peer_offline_though_every_node_answers()
    {
        var report = Cluster(Node("n1", "jsz-meta-leader-peer-stopped"), Node("n2", "jsz-meta-follower"), Node("n3", "jsz-meta-follower-n3"));

        Assert.False(report.Healthy);
    }

    [Fact]
    public void A_cluster_without_a_leader_is_degraded()
    {
        Assert.False(Cluster(Node("n1", "jsz-no-quorum")).Healthy);
    }

    [Fact]
    public void A_leafnode_pair_is_healthy_while_linked_and_its_sources_fresh_and_degraded_when_the_link_drops()
    {
        var fresh = new SourceStatus("observability-metrics", "pc2", TimeSpan.FromSeconds(1), 0);
        var linked = new TopologyReport("s", "mainpc", [Leaf("mainpc", "leafz-hub-linked", fresh), Leaf("pc2", "leafz-edge-linked")]);
        var dropped = new TopologyReport("s", "mainpc", [Leaf("mainpc", "leafz-hub-edge-stopped", fresh), Leaf("pc2", "leafz-edge-linked")]);
        var stale = new TopologyReport("s", "mainpc", [Leaf("mainpc", "leafz-hub-linked", fresh with { Active = TimeSpan.FromSeconds(30) }), Leaf("pc2", "leafz-edge-linked")]);

        Assert.True(linked.Healthy);
        Assert.False(dropped.Healthy);
        Assert.False(stale.Healthy);
    }
}
