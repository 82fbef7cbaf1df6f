using System.Text.Json;
using Resilience.Operations.Status;
using static Resilience.Tests.Operations.MonitorAnswerFixtures;

namespace Resilience.Tests.Operations;

public sealed class JszAnswerTests
{
    [Fact]
    public void The_meta_leader_names_itself_and_lists_the_other_peers_as_current()
    {
        var cluster = JszAnswer.Parse(Read("jsz-meta-leader"));

        Assert.Null(cluster.Error);
        Assert.Equal(("demo", "n1", 3), (cluster.Name, cluster.Leader, cluster.Size));
        Assert.Equal(["n2", "n3"], cluster.Peers.Select(p => p.Name));
        Assert.All(cluster.Peers, p => Assert.True(p.Healthy, p.ToString()));
        // active is in nanoseconds: 700063384 ns
        Assert.Equal(TimeSpan.FromTicks(7000633), cluster.Peers[0].Active);
        Assert.All(cluster.Peers, p => Assert.Equal(0UL, p.Lag));
    }

    [Fact]
    public void A_follower_names_the_leader_but_lists_no_peers()
    {
        var cluster = JszAnswer.Parse(Read("jsz-meta-follower"));

        Assert.Equal(("n1", 3), (cluster.Leader, cluster.Size));
        Assert.Empty(cluster.Peers);
        Assert.Null(cluster.Error);
    }

    [Fact]
    public void A_stopped_peer_is_offline_in_the_leaders_view_and_no_longer_healthy()
    {
        var cluster = JszAnswer.Parse(Read("jsz-meta-leader-peer-stopped"));

        var stopped = cluster.Peers.Single(p => p.Name == "n3");
        Assert.True(stopped.Offline);
        Assert.False(stopped.Healthy);
        Assert.True(stopped.Active > TimeSpan.FromSeconds(5), stopped.ToString());
        Assert.True(cluster.Peers.Single(p => p.Name == "n2").Healthy);
    }

    [Fact]
    public void A_node_without_quorum_has_no_leader()
    {
        var cluster = JszAnswer.Parse(Read("jsz-no-quorum"));

        Assert.Null(cluster.Leader);
        Assert.Equal(("demo", 2), (cluster.Name, cluster.Size));
        Assert.Null(cluster.Error);
    }

    [Fact]
    public void An_unclustered_server_is_reported_as_such()
    {
        var cluster = JszAnswer.Parse(Read("jsz-unclustered"));

        Assert.Equal("no meta_cluster in /jsz: this server is not clustered", cluster.Error);
        Assert.Null(cluster.Leader);
    }

    [Fact]
    public void An_answer_that_is_not_json_is_a_json_error_for_the_monitor_to_report()
    {
        Assert.ThrowsAny<JsonException>(() => JszAnswer.Parse("<html>502 Bad Gateway</html>"));
    }
}
