using System.Text;
using Resilience.Engine.Planning;
using Resilience.Model;

namespace Resilience.Cli.Views;

/// <summary>One stack's desired graph, the machine it runs on, and (for --plan) what a preview would do to each resource.</summary>
public sealed record StackPicture(string Machine, ResourceGraph Graph, Plan? Plan = null);

/// <summary>
/// The stacks as a Graphviz DOT graph: one cluster per machine, deploy-order dependencies as thin grey edges, and
/// the run-time data paths (remote write, leafnode, stream sources, runtime tiers) as coloured, labelled edges.
/// Node ids are machine/type/name, so the text is the same on every run and diffs cleanly in git.
/// </summary>
public static class TopologyDot
{
    private const string AgentFiles = "agents/";

    private static readonly Dictionary<string, string> PathStyles = new(StringComparer.Ordinal)
    {
        ["remote-write"] = "color=\"#1f77b4\", penwidth=2.5",
        ["leafnode"] = "color=\"#2ca02c\", penwidth=2.5",
        ["route"] = "color=\"#2ca02c\", penwidth=2.5, dir=both",
        ["source"] = "color=\"#9467bd\", penwidth=2, style=dashed",
        ["tier"] = "color=\"#ff7f0e\", penwidth=1.5",
        ["scrape"] = "color=\"#8c564b\", penwidth=1.5, style=dotted",
        ["decisions"] = "color=\"#7f7f7f\", penwidth=1.5, style=dashed",
    };

    private static readonly Dictionary<StepKind, string> PlanColours = new()
    {
        [StepKind.Create] = "#c7f0c2",
        [StepKind.Update] = "#fbeaa0",
        [StepKind.Reload] = "#fbeaa0",
        [StepKind.Replace] = "#e6c3f0",
        [StepKind.Delete] = "#f7b6b0",
    };

    public static string Render(IReadOnlyList<StackPicture> stacks)
    {
        var dot = new StringBuilder();
        dot.Append("digraph resilience {\n");
        dot.Append("  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=12, nodesep=0.25, ranksep=0.6, newrank=true];\n");
        dot.Append("  node [shape=box, style=\"rounded,filled\", fillcolor=white, fontname=\"Helvetica\", fontsize=10];\n");
        dot.Append("  edge [color=\"#c0c0c0\", arrowsize=0.6, fontname=\"Helvetica\", fontsize=9];\n");
        if (stacks.Any(s => s.Plan is not null))
            dot.Append("  label=\"preview: green create, yellow update, purple replace, red delete, white unchanged\"; labelloc=t;\n");

        var nodes = new Dictionary<string, string>(StringComparer.Ordinal); // id -> machine
        foreach (var machine in stacks.GroupBy(s => s.Machine).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            dot.Append($"  subgraph {Quote("cluster_" + machine.Key)} {{\n");
            dot.Append($"    label={Quote($"{machine.Key} (stack {string.Join(", ", machine.Select(s => s.Graph.Stack))})")}; style=\"rounded\"; color=\"#606060\";\n");
            foreach (var stack in machine)
            {
                foreach (var node in Nodes(stack))
                {
                    if (!nodes.TryAdd(node.Id, machine.Key)) continue;
                    dot.Append($"    {Quote(node.Id)} [label={Quote(node.Label)}{(node.Fill is { } f ? $", fillcolor={Quote(f)}" : "")}{(node.Gone ? ", style=\"rounded,filled,dashed\"" : "")}];\n");
                }
            }
            dot.Append("  }\n");
        }

        // The other ends of data paths whose stack was not drawn: a dashed placeholder in that machine's cluster.
        var missing = stacks.SelectMany(s => s.Graph.DataPaths).SelectMany(p => new[] { p.From, p.To })
            .Where(e => !nodes.ContainsKey(Id(e))).Distinct().OrderBy(Id, StringComparer.Ordinal).ToList();
        foreach (var group in missing.GroupBy(e => e.Machine).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            dot.Append($"  subgraph {Quote("cluster_" + group.Key)} {{\n");
            dot.Append($"    label={Quote($"{group.Key} (not drawn)")}; style=\"rounded,dashed\"; color=\"#a0a0a0\";\n");
            foreach (var end in group)
            {
                dot.Append($"    {Quote(Id(end))} [label={Quote($"{end.Name}\n{end.Type}")}, style=\"rounded,dashed\", fontcolor=\"#808080\"];\n");
                nodes[Id(end)] = group.Key;
            }
            dot.Append("  }\n");
        }

        foreach (var stack in stacks)
        {
            var seen = new HashSet<(string, string)>();
            foreach (var resource in stack.Graph.Resources)
            {
                foreach (var dependency in resource.DependsOn)
                {
                    var target = stack.Graph.Find(dependency);
                    if (target is null) continue;
                    var edge = (NodeId(stack.Machine, target.Type, target.Name), NodeId(stack.Machine, resource.Type, resource.Name));
                    if (edge.Item1 != edge.Item2 && seen.Add(edge)) dot.Append($"  {Quote(edge.Item1)} -> {Quote(edge.Item2)};\n");
                }
            }
        }
        foreach (var path in stacks.SelectMany(s => s.Graph.DataPaths).Distinct())
        {
            var style = PathStyles.GetValueOrDefault(path.Kind, "color=\"#000000\", penwidth=1.5");
            var cross = path.From.Machine != path.To.Machine ? ", constraint=false" : "";
            dot.Append($"  {Quote(Id(path.From))} -> {Quote(Id(path.To))} [label={Quote(path.Label)}, {style}, fontcolor=\"#404040\"{cross}];\n");
        }
        dot.Append("}\n");
        return dot.ToString();
    }

    private sealed record Node(string Id, string Label, string? Fill, bool Gone = false);

    /// <summary>The stack's resources (agent files as one node), and with a plan the resources it deletes.</summary>
    private static IEnumerable<Node> Nodes(StackPicture stack)
    {
        var kinds = stack.Plan?.Steps.Where(s => !s.Orphan).ToDictionary(s => s.Urn, s => s.Kind) ?? [];
        string? Fill(IEnumerable<string> urns)
        {
            if (stack.Plan is null) return null;
            var changes = urns.Select(u => kinds.GetValueOrDefault(u, StepKind.Same)).Where(k => k != StepKind.Same).Distinct().ToList();
            return changes.Count switch
            {
                0 => "white",
                1 => PlanColours[changes[0]],
                _ => PlanColours[StepKind.Update],
            };
        }
        var agents = stack.Graph.Resources.Where(IsAgentFile).ToList();
        foreach (var r in stack.Graph.Resources.Where(r => !IsAgentFile(r)))
            yield return new Node(NodeId(stack.Machine, r.Type, r.Name), $"{r.Name}\n{r.Type}", Fill([r.Urn]));
        if (agents.Count > 0)
            yield return new Node(NodeId(stack.Machine, "file:file", AgentFiles), $"{AgentFiles}*.yaml x{agents.Count}\nfile:file", Fill(agents.Select(a => a.Urn)));
        foreach (var step in stack.Plan?.Steps.Where(s => s.Kind == StepKind.Delete && !s.Orphan) ?? [])
            yield return new Node(NodeId(stack.Machine, step.Type, step.Name), $"{step.Name}\n{step.Type}", PlanColours[StepKind.Delete], Gone: true);
    }

    private static bool IsAgentFile(Resource r) => r.Type == "file:file" && r.Name.StartsWith(AgentFiles, StringComparison.Ordinal);

    private static string Id(DataEndpoint e) => NodeId(e.Machine, e.Type, e.Name);

    private static string NodeId(string machine, string type, string name) =>
        type == "file:file" && name.StartsWith(AgentFiles, StringComparison.Ordinal) ? $"{machine}/{type}/{AgentFiles}" : $"{machine}/{type}/{name}";

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n") + "\"";
}
