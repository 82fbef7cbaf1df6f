using System.Text.RegularExpressions;
using Resilience.Operations.Status;
using Resilience.Stack.Config;

namespace Resilience.IntegrationTests.JetStream;

/// <summary>
/// The operations layer reads the monitor answers of real nats-servers started here: a hub and an edge joined by
/// a leafnode, and a three-node JetStream cluster. (The unit tests read answers captured the same way.)
/// </summary>
[Collection(NatsServerCollection.Name)]
public sealed class MonitorAnswerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);

    private static readonly string Hub = LoopbackAddresses.For("monitor-hub");
    private static readonly string Edge = LoopbackAddresses.For("monitor-edge");

    private static string Monitor(string host, int port) => $"http://{host}:{port}";

    [Fact]
    public async Task The_leaf_link_is_up_on_both_sides_while_linked_and_down_on_the_hub_once_the_edge_stops()
    {
        using var hub = NatsServer.Start("mon-hub", Hub, 14242, "hub", $$"""
            http: "{{Hub}}:18242"
            leafnodes { listen: "{{Hub}}:14250" }
            """);
        var edge = NatsServer.Start("mon-edge", Edge, 14243, "edge", $$"""
            http: "{{Edge}}:18243"
            leafnodes { reconnect: 1, remotes: [ { url: "nats-leaf://{{Hub}}:14250" } ] }
            """);
        using var monitor = new NatsMonitor(TimeSpan.FromSeconds(2));
        try
        {
            var hubView = await UntilAsync(() => monitor.LeafAsync(Monitor(Hub, 18242), default), l => l.Up == true);
            var edgeView = await UntilAsync(() => monitor.LeafAsync(Monitor(Edge, 18243), default), l => l.Up == true);

            // The edge dials out from 127.0.0.1 (outgoing connections leave from it), on a port of its own.
            Assert.Matches(@"^127\.0\.0\.1:\d+ rtt \S+$", Assert.Single(hubView.Peers));
            Assert.Matches($@"^{Regex.Escape(Hub)}:14250 rtt \S+$", Assert.Single(edgeView.Peers));
        }
        finally
        {
            edge.Dispose();
        }

        var afterStop = await UntilAsync(() => monitor.LeafAsync(Monitor(Hub, 18242), default), l => l.Up == false);
        Assert.Empty(afterStop.Peers);
        var gone = await monitor.LeafAsync(Monitor(Edge, 18243), default);
        Assert.Null(gone.Up);
        Assert.StartsWith($"monitor http://{Edge}:18243 unreachable: ", gone.Error);
    }

    [Fact]
    public async Task Every_node_of_a_formed_cluster_names_one_meta_leader_whose_view_lists_the_others_current()
    {
        string[] hosts = [LoopbackAddresses.For("monitor-n1"), LoopbackAddresses.For("monitor-n2"), LoopbackAddresses.For("monitor-n3")];
        var routes = string.Join(", ", hosts.Select(h => $"\"nats-route://{h}:14261\""));
        var nodes = hosts.Select((h, i) => NatsServer.Start($"n{i + 1}", h, 14260, domain: null, $$"""
            http: "{{h}}:18260"
            cluster { name: mon, listen: "{{h}}:14261", routes: [{{routes}}] }
            """)).ToArray();
        var stopped = new bool[nodes.Length];
        using var monitor = new NatsMonitor(TimeSpan.FromSeconds(2));
        try
        {
            var views = await UntilAsync(
                () => Task.WhenAll(hosts.Select(h => monitor.ClusterAsync(Monitor(h, 18260), default))),
                // A follower learns the cluster's size after the leader does: wait until every node has settled.
                all => all.All(c => c.Leader is not null && c.Size == 3) && all.Any(c => c.Peers.Count == 2 && c.Peers.All(p => p.Healthy)));
            var machines = hosts.Select((h, i) => new MachineStatus($"n{i + 1}", "node", h, Monitor(h, 18260), null, LeafStatus.NotApplicable, []) { Cluster = views[i] }).ToList();
            var report = new TopologyReport("it", "n1", machines) { Topology = NatsTopologies.ThreeNode };

            Assert.Single(views.Select(v => v.Leader).Distinct());
            Assert.All(views, v => Assert.Equal(("mon", 3), (v.Name, v.Size)));
            Assert.True(report.Healthy);

            var leader = Array.IndexOf(machines.Select(m => m.Machine).ToArray(), views[0].Leader);
            var follower = (leader + 1) % nodes.Length;
            nodes[follower].Dispose();
            stopped[follower] = true;
            // Killed, not shut down: the leader only sees the peer's silence grow until it stops counting it current.
            var leaderView = await UntilAsync(() => monitor.ClusterAsync(Monitor(hosts[leader], 18260), default), c => c.Peers.Any(p => !p.Healthy));
            Assert.Equal($"n{follower + 1}", Assert.Single(leaderView.Peers, p => !p.Healthy).Name);
        }
        finally
        {
            for (var i = 0; i < nodes.Length; i++) if (!stopped[i]) nodes[i].Dispose();
        }
    }

    private static string? Describe(object? value) => value switch
    {
        ClusterStatus c => $"{c} peers [{string.Join("; ", c.Peers)}]",
        IEnumerable<ClusterStatus> all => string.Join("\n", all.Select(Describe)),
        LeafStatus l => $"{l} peers [{string.Join("; ", l.Peers)}]",
        _ => value?.ToString(),
    };

    private static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var clock = Stopwatch.StartNew();
        var last = await read();
        while (!done(last) && clock.Elapsed < Patience)
        {
            await Task.Delay(250);
            last = await read();
        }
        Assert.True(done(last), $"not reached in {Patience}: {Describe(last)}");
        return last;
    }
}
