using YamlDotNet.RepresentationModel;
using static Resilience.Pulumi.YamlValues;

namespace Resilience.Pulumi;

/// <summary>
/// What the compiler prints without PULUMI_STACK: Pulumi runs it that way to learn which plugins to install,
/// so it names every resource type and package version the real programs use. It is never deployed.
/// </summary>
public static class PluginDiscoveryProgram
{
    public static PulumiProgram Create(string project)
    {
        var program = new PulumiProgram(project, "Plugin discovery: every resource type and package `resilience pulumi-yaml` emits");
        const string provider = "docker";
        program.Add(new PulumiResource(provider, PulumiPackages.DockerProvider, new YamlMappingNode { { "host", Literal(PulumiPackages.DefaultDockerHost) } })
        {
            Version = PulumiPackages.DockerVersion,
        });
        program.Add(Docker("image", PulumiPackages.RemoteImage, new YamlMappingNode { { "name", Literal("nats:2.9.10") }, { "keepLocally", Bool(true) } }));
        program.Add(Docker("network", PulumiPackages.Network, new YamlMappingNode { { "name", Literal("resilience-plugins") } }));
        program.Add(Docker("volume", PulumiPackages.Volume, new YamlMappingNode { { "name", Literal("resilience-plugins") } }));
        program.Add(Docker("container", PulumiPackages.Container, new YamlMappingNode
        {
            { "name", Literal("resilience-plugins") },
            { "image", Ref("image", "imageId") },
        }));
        program.Add(new PulumiResource("command", PulumiPackages.Command, new YamlMappingNode { { "create", Literal("true") } })
        {
            Version = PulumiPackages.CommandVersion,
        });
        return program;

        static PulumiResource Docker(string key, string type, YamlMappingNode properties) =>
            new(key, type, properties) { Provider = provider };
    }
}
