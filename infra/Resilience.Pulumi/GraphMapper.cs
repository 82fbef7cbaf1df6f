using Resilience.Model;
using YamlDotNet.RepresentationModel;
using static Resilience.Pulumi.YamlValues;

namespace Resilience.Pulumi;

/// <summary>One stack's resource graph → a Pulumi YAML program with the same resources and dependencies.</summary>
public static class GraphMapper
{
    public static PulumiProgram Map(ResourceGraph graph, DockerTarget target, string project)
    {
        var program = new PulumiProgram(project, $"Stack {graph.Stack} on {target.Machine}, compiled by `resilience pulumi-yaml`");
        var providerKey = ResourceKeys.Provider(target.Machine);
        program.Add(new PulumiResource(providerKey, PulumiPackages.DockerProvider, new YamlMappingNode { { "host", Literal(target.Host) } })
        {
            Version = PulumiPackages.DockerVersion,
        });

        var docker = new DockerMapping(graph, providerKey);
        var commands = new CommandMapping(target);
        // What a dependent waits for: a container counts as there once its service answers.
        var waitFor = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var r in graph.Order)
        {
            var dependsOn = r.DependsOn.SelectMany(d => waitFor[d]).Distinct().ToList();
            var key = ResourceKeys.For(r);
            waitFor[r.Urn] = [key];
            switch (r.Type)
            {
                case "docker:image": program.Add(docker.Image(r, dependsOn)); break;
                case "docker:network": program.Add(docker.Network(r, dependsOn)); break;
                case "docker:volume": program.Add(docker.Volume(r, dependsOn)); break;
                case "file:file": program.Add(commands.File(r, dependsOn)); break;
                case "jetstream:stream" or "jetstream:consumer": program.Add(commands.JetStream(r, dependsOn)); break;
                case "dotnet:publish": program.Add(commands.Publish(r, dependsOn)); break;
                case "command:agent-restart": program.Add(commands.AgentRestart(r, dependsOn)); break;
                case "docker:container":
                    program.Add(docker.Container(r, dependsOn));
                    var ready = commands.Ready(r, key);
                    if (ready is not null)
                    {
                        program.Add(ready);
                        waitFor[r.Urn] = [key, ready.Key];
                    }
                    var files = r.DependsOn.Select(graph.Find).Where(d => d?.Type == "file:file").Select(d => ResourceKeys.For(d!));
                    var reload = commands.Reload(r, [.. waitFor[r.Urn], .. files]);
                    if (reload is not null) program.Add(reload);
                    break;
                default: throw new InvalidOperationException($"{r.Urn}: no Pulumi mapping for type {r.Type}");
            }
        }

        foreach (var (name, output) in graph.Outputs) program.Output(name, Text(output.Value, output.Secret));
        return program;
    }
}
