using Resilience.Pulumi;
using Resilience.Tests.Support;

namespace Resilience.Tests.Scratch;

public class SnapshotDump
{
    [Fact]
    public void Dump()
    {
        var dir = Environment.GetEnvironmentVariable("SNAP_DIR");
        if (dir is null) return;
        Directory.CreateDirectory(dir);
        var variants = new (string Name, string Stack, (string, string)[] Config)[]
        {
            ("pc2-w1", "pc2", [("rolloutWeek", "1")]),
            ("pc2-w3", "pc2", [("rolloutWeek", "3")]),
            ("mainpc-w3", "mainpc", [("rolloutWeek", "3")]),
            ("pc2-bridge", "pc2", [("network", "bridge")]),
            ("mainpc-registry", "mainpc", [("imageSource", "registry")]),
            ("mainpc-3node", "mainpc", [("natsTopology", "three-node")]),
            ("witness-3node", "witness", [("natsTopology", "three-node")]),
        };
        foreach (var (name, stack, config) in variants)
        {
            var env = config.ToDictionary(c => $"resilience:{c.Item1}", c => c.Item2);
            var (graph, _) = PulumiYamlCompiler.Graph(RepoPaths.Root, stack, new PulumiEnvironment(stack, env, new HashSet<string>()));
            var text = string.Join("\n", graph.Resources.Select(r => $"{r.Urn} deps={string.Join(",", r.DependsOn)} opts={r.Options}\n  {r.Inputs.ToJsonString()}"));
            File.WriteAllText(Path.Combine(dir, name + ".graph"), text);
            File.WriteAllText(Path.Combine(dir, name + ".yaml"), PulumiYamlCompiler.Compile(RepoPaths.Root, new PulumiEnvironment(stack, env, new HashSet<string>())));
        }
    }
}
