using System.Text.RegularExpressions;

namespace Resilience.Tests.Review;

/// <summary>`graph` of both stacks: a cluster per machine, the data paths between them, stable text, a PNG through graphviz.</summary>
public sealed class GraphCommandTests : IDisposable
{
    private readonly TempProject _project = new();

    public void Dispose() => _project.Dispose();

    private CliRunner.Result Graph(params string[] extra) =>
        CliRunner.Run(_project.Dir, ["graph", "--stack", "mainpc", "--stack", "pc2", .. extra]);

    [Fact]
    public void Both_stacks_draw_one_cluster_per_machine_and_the_data_paths_between_them()
    {
        var first = Graph();
        Assert.True(first.ExitCode == 0, first.ToString());
        var dot = first.Stdout;
        Assert.StartsWith("digraph resilience {", dot);
        Assert.Equal(["cluster_mainpc", "cluster_pc2"], Regex.Matches(dot, "subgraph \"(cluster_[^\"]+)\"").Select(m => m.Groups[1].Value));
        Assert.Contains("\"pc2/docker:container/edgehub\" -> \"mainpc/docker:container/centralhub\" [label=\"remote write\"", dot);
        Assert.Contains("\"pc2/docker:container/nats\" -> \"mainpc/docker:container/nats\" [label=\"leafnode\"", dot);
        Assert.Contains("\"pc2/jetstream:stream/observability-metrics\" -> \"mainpc/jetstream:stream/observability-metrics\" [label=\"source\"", dot);
        Assert.Contains("\"pc2/docker:container/runtime\" -> \"mainpc/docker:container/centralhub\" [label=\"tier 2: remote hub\"", dot);
        Assert.Contains("\"mainpc/docker:container/runtime\" -> \"pc2/docker:container/edgehub\" [label=\"tier 2: remote hub\"", dot);
        // a dependency edge inside a machine
        Assert.Contains("\"pc2/file:file/edgehub/prometheus.yml\" -> \"pc2/docker:container/edgehub\";", dot);

        var second = Graph();
        Assert.Equal(dot, second.Stdout);
    }

    [Fact]
    public void One_stack_alone_draws_the_other_machines_ends_as_placeholders()
    {
        var result = CliRunner.Run(_project.Dir, "graph", "--stack", "pc2");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("label=\"mainpc (not drawn)\"", result.Stdout);
        Assert.Contains("\"mainpc/docker:container/centralhub\" [label=\"centralhub\\ndocker:container\", style=\"rounded,dashed\"", result.Stdout);
    }

    [Fact]
    [Trait("Category", "Integration")] // graphviz comes with scripts/setup
    public void Graphviz_turns_it_into_a_png_and_plan_colours_what_a_preview_would_change()
    {
        var png = _project.PathOf("stacks.png");
        var result = Graph("--format", "png", "--out", png, "--plan");
        Assert.True(result.ExitCode == 0, result.ToString());
        var bytes = File.ReadAllBytes(png);
        Assert.True(bytes.Length > 10_000, $"{bytes.Length} bytes");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);

        var planned = Graph("--plan").Stdout;
        Assert.Contains("\"pc2/docker:container/edgehub\" [label=\"edgehub\\ndocker:container\", fillcolor=\"#c7f0c2\"]", planned); // nothing applied: create
        Assert.DoesNotContain("fillcolor=\"#", Graph().Stdout);
    }
}
