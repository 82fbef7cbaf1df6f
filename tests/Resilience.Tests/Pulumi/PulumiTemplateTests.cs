using Resilience.Pulumi;
using YamlDotNet.RepresentationModel;

namespace Resilience.Tests.Pulumi;

/// <summary>Every stack and week compiles to a valid Pulumi YAML template that fits the real provider schemas.</summary>
public class PulumiTemplateTests
{
    private static readonly ProviderSchemas Schemas = ProviderSchemas.Load();
    private static readonly HashSet<string> ResourceFields = ["type", "properties", "options"];
    private static readonly HashSet<string> OptionFields = ["provider", "version", "dependsOn", "protect", "deleteBeforeReplace", "replaceOnChanges", "retainOnDelete"];

    public static TheoryData<string, int, string> StacksWeeksNetworks()
    {
        var data = new TheoryData<string, int, string>();
        foreach (var stack in new[] { "mainpc", "pc2" })
        {
            for (var week = 1; week <= 4; week++) data.Add(stack, week, "host");
            data.Add(stack, 4, "bridge");
        }
        return data;
    }

    [Theory]
    [InlineData("mainpc", "three-node")]
    [InlineData("pc2", "three-node")]
    [InlineData("witness", "three-node")]
    [InlineData("mainpc", "two-node")]
    [InlineData("pc2", "two-node")]
    public void Each_stack_of_the_cluster_topologies_is_a_valid_template_too(string stack, string topology)
    {
        foreach (var network in new[] { "host", "bridge" })
        {
            var template = PulumiPrograms.Template(stack, PulumiPrograms.Week(4, ("network", network), ("natsTopology", topology)));
            AssertValid(template);
            Assert.Contains(template.Resources.Keys, k => template.TypeOf(k) == PulumiPackages.Container);
        }
    }

    [Theory]
    [MemberData(nameof(StacksWeeksNetworks))]
    public void Each_stack_and_week_is_a_valid_template_within_the_provider_schemas(string stack, int week, string network)
    {
        var template = PulumiPrograms.Template(stack, PulumiPrograms.Week(week, ("network", network)));
        AssertValid(template);
        Assert.Contains(template.Resources.Keys, k => template.TypeOf(k) == PulumiPackages.Container);
    }

    [Fact]
    public void Without_a_stack_the_program_names_every_type_it_can_emit_and_is_valid_too()
    {
        var template = PulumiTemplate.Parse(PulumiPrograms.Discovery());
        AssertValid(template);
        var types = template.Resources.Keys.Select(template.TypeOf).ToHashSet();
        Assert.Equal(PulumiPackages.AllTypes.Order(), types.Order());
    }

    [Fact]
    public void A_graph_with_a_local_runtime_publish_maps_it_to_a_valid_command_replaced_with_new_sources()
    {
        var config = Resilience.Stack.Config.StackConfig.Load(RepoPaths.Root, "pc2");
        var graph = Resilience.Stack.StackProgram.Run(config, RepoPaths.Root);
        var publish = graph.OfType("dotnet:publish").Single(p => p.Name == "runtime");
        var template = PulumiTemplate.Parse(GraphMapper.Map(graph, new DockerTarget("pc2", PulumiPackages.DefaultDockerHost), "resilience").ToYaml());
        AssertValid(template);
        Assert.Equal(PulumiPackages.Command, template.TypeOf("publish-runtime"));
        var output = publish.Inputs["output"]!.GetValue<string>();
        Assert.Equal(output, template.Text("publish-runtime", "environment", "RESILIENCE_PUBLISH_OUTPUT"));
        Assert.Contains(output, ((YamlSequenceNode)template.Properties("publish-runtime")["triggers"]).Children.Select(c => ((YamlScalarNode)c).Value));
        Assert.Contains("publish-runtime", PulumiTemplate.References(template.Options("image-runtime")));
    }

    [Fact]
    public void The_validator_rejects_what_the_schemas_forbid()
    {
        var bad = PulumiTemplate.Parse("""
            resources:
              c:
                type: docker:index/container:Container
                properties:
                  name: x
                  restartPolicy: always
                  ports:
                    - external: "9100"
                  mustRun: "true"
            """);
        var problems = Schemas.Check("c", bad.TypeOf("c"), bad.Properties("c"));
        Assert.Contains(problems, p => p.Contains("restartPolicy: no such property"));
        Assert.Contains(problems, p => p.Contains("required input 'image' missing"));
        Assert.Contains(problems, p => p.Contains("ports[0]: required input 'internal' missing"));
        Assert.Contains(problems, p => p.Contains("ports[0].external: expected integer, got string"));
        Assert.Contains(problems, p => p.Contains("mustRun: expected boolean, got string"));
    }

    private static void AssertValid(PulumiTemplate template)
    {
        Assert.Empty(template.Keys.Except(PulumiTemplate.TopLevelKeys));
        var problems = new List<string>();
        var edges = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (key, resource) in template.Resources)
        {
            var type = template.TypeOf(key);
            problems.AddRange(resource.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).Where(f => !ResourceFields.Contains(f)).Select(f => $"{key}: unknown field {f}"));
            problems.AddRange(template.Options(key).Children.Keys.Select(k => ((YamlScalarNode)k).Value!).Where(f => !OptionFields.Contains(f)).Select(f => $"{key}: unknown option {f}"));
            if (!Schemas.Knows(type)) problems.Add($"{key}: type {type} is not in the vendored schemas");
            else problems.AddRange(Schemas.Check(key, type, template.Properties(key)));
            problems.AddRange(PinnedVersion(template, key, type));

            edges[key] = [];
            foreach (var reference in PulumiTemplate.References(resource))
            {
                var root = PulumiTemplate.RootOf(reference);
                edges[key].Add(root);
                problems.AddRange(Resolve(template, key, reference, root));
            }
        }
        foreach (var reference in PulumiTemplate.References(PulumiTemplate.Child(template.Root, "outputs") ?? new YamlMappingNode()))
            problems.AddRange(Resolve(template, "outputs", reference, PulumiTemplate.RootOf(reference)));
        Assert.Empty(problems);
        AssertAcyclic(edges);
    }

    private static IEnumerable<string> PinnedVersion(PulumiTemplate template, string key, string type)
    {
        var options = template.Options(key);
        var provider = PulumiTemplate.Scalar(options, "provider");
        var version = PulumiTemplate.Scalar(options, "version");
        if (type.StartsWith("docker:", StringComparison.Ordinal))
        {
            // Docker resources take their plugin version from the explicit provider they name.
            if (provider is null) yield return $"{key}: no explicit docker provider";
            else if (PulumiTemplate.Scalar(template.Options(PulumiTemplate.RootOf(provider[2..^1])), "version") != PulumiPackages.DockerVersion)
                yield return $"{key}: its provider is not pinned to docker {PulumiPackages.DockerVersion}";
        }
        else if (type == PulumiPackages.DockerProvider && version != PulumiPackages.DockerVersion) yield return $"{key}: version {version}";
        else if (type == PulumiPackages.Command && version != PulumiPackages.CommandVersion) yield return $"{key}: version {version}";
    }

    private static IEnumerable<string> Resolve(PulumiTemplate template, string from, string reference, string root)
    {
        if (template.Variables.Contains(root) || template.Config.Contains(root)) yield break;
        if (!template.Resources.ContainsKey(root))
        {
            yield return $"{from}: ${{{reference}}} names nothing";
            yield break;
        }
        if (reference.Length == root.Length) yield break;
        var property = reference[(root.Length + 1)..].Split('.', '[')[0];
        var type = template.TypeOf(root);
        if (property is not ("id" or "urn") && !Schemas.OutputsOf(type).Contains(property))
            yield return $"{from}: ${{{reference}}}: {type} has no output '{property}'";
    }

    private static void AssertAcyclic(Dictionary<string, List<string>> edges)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in edges.Keys) Visit(node, []);

        void Visit(string node, List<string> path)
        {
            if (state.GetValueOrDefault(node) == 2) return;
            Assert.False(state.GetValueOrDefault(node) == 1, $"dependency cycle: {string.Join(" -> ", path.Append(node))}");
            state[node] = 1;
            foreach (var next in edges.GetValueOrDefault(node) ?? []) Visit(next, [.. path, node]);
            state[node] = 2;
        }
    }
}
