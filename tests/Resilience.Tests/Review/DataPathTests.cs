using Resilience.Model;
using Resilience.Stack;
using Resilience.Stack.Config;

namespace Resilience.Tests.Review;

/// <summary>The data paths the components declare, per topology: every one ends at a resource its machine's stack declares.</summary>
public sealed class DataPathTests
{
    private static ResourceGraph Graph(TempProject project, string stack) => StackProgram.Run(StackConfig.Load(project.Dir, stack), project.Dir);

    private static List<string> Paths(ResourceGraph g, string kind) =>
        g.DataPaths.Where(p => p.Kind == kind).Select(p => $"{p.From.Machine}/{p.From.Name} -> {p.To.Machine}/{p.To.Name}").Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void Leafnode_declares_the_remote_write_the_leaf_the_sources_and_the_runtime_tiers()
    {
        using var p = new TempProject();
        var mainpc = Graph(p, "mainpc");
        var pc2 = Graph(p, "pc2");
        Assert.Equal(["pc2/edgehub -> mainpc/centralhub"], Paths(pc2, "remote-write"));
        Assert.Empty(Paths(mainpc, "remote-write"));
        Assert.Equal(["pc2/nats -> mainpc/nats"], Paths(pc2, "leafnode"));
        Assert.Equal(["pc2/observability-alerts -> mainpc/observability-alerts", "pc2/observability-health -> mainpc/observability-health",
            "pc2/observability-metrics -> mainpc/observability-metrics"], Paths(mainpc, "source"));
        Assert.Equal(["mainpc/observability-alerts -> pc2/observability-alerts-central", "mainpc/observability-health -> pc2/observability-health-central"],
            Paths(pc2, "source"));
        Assert.Equal(["pc2/runtime -> mainpc/centralhub", "pc2/runtime -> pc2/edgehub", "pc2/runtime -> pc2/pushgateway", "pc2/runtime -> pc2/runtime-data"],
            Paths(pc2, "tier"));
        AllEndsExist([mainpc, pc2]);
    }

    [Fact]
    public void Three_node_declares_a_route_from_every_node_to_every_other_and_no_leaf_or_sources()
    {
        using var p = new TempProject();
        p.Replace("Pulumi.yaml", "    default: leafnode", "    default: three-node");
        var graphs = new[] { "mainpc", "pc2", "witness" }.Select(s => Graph(p, s)).ToList();
        Assert.Equal(6, graphs.Sum(g => Paths(g, "route").Count));
        Assert.Equal(["witness/nats -> mainpc/nats", "witness/nats -> pc2/nats"], Paths(graphs[2], "route"));
        Assert.All(graphs, g => Assert.Empty(Paths(g, "leafnode").Concat(Paths(g, "source"))));
        AllEndsExist(graphs);
    }

    private static void AllEndsExist(IReadOnlyList<ResourceGraph> graphs)
    {
        var byMachine = graphs.ToDictionary(g => g.Outputs["machine"].Value);
        foreach (var end in graphs.SelectMany(g => g.DataPaths).SelectMany(p => new[] { p.From, p.To }))
            Assert.True(byMachine[end.Machine].Resources.Any(r => r.Type == end.Type && r.Name == end.Name), $"{end} is declared by no stack");
    }
}
