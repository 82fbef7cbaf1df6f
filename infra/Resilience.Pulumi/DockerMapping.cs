using System.Text.Json.Nodes;
using Resilience.Model;
using YamlDotNet.RepresentationModel;
using static Resilience.Pulumi.YamlValues;

namespace Resilience.Pulumi;

/// <summary>
/// docker:image/network/volume/container → the docker package's resources, all through the stack's explicit
/// provider. Every Container input of pulumi-docker forces a replacement, so the container carries only what
/// defines it; the config hash and reload live in separate commands (see <see cref="CommandMapping"/>).
/// </summary>
internal sealed class DockerMapping(ResourceGraph graph, string providerKey)
{
    private static readonly HashSet<string> ContainerInputs =
    [
        "name", "image", "networkMode", "restart", "user", "command", "ports", "mounts",
        "ready", "reload", "configHash", // carried by the ready/reload commands, not by the container
    ];

    private static readonly HashSet<string> MountInputs = ["type", "source", "target", "readOnly"];

    /// <summary>Always the registry image by its pinned name; kept locally on destroy because stacks share images.</summary>
    public PulumiResource Image(Resource image, IReadOnlyList<string> dependsOn) =>
        Docker(image, PulumiPackages.RemoteImage, dependsOn, new YamlMappingNode
        {
            { "name", Literal(Input(image, "name")) },
            { "keepLocally", Bool(true) },
        });

    public PulumiResource Network(Resource network, IReadOnlyList<string> dependsOn)
    {
        var properties = new YamlMappingNode { { "name", Literal(Input(network, "name")) } };
        if (network.Inputs["driver"] is { } driver) properties.Add("driver", Literal(driver.GetValue<string>()));
        return Docker(network, PulumiPackages.Network, dependsOn, properties);
    }

    public PulumiResource Volume(Resource volume, IReadOnlyList<string> dependsOn) =>
        Docker(volume, PulumiPackages.Volume, dependsOn, new YamlMappingNode { { "name", Literal(Input(volume, "name")) } });

    public PulumiResource Container(Resource container, IReadOnlyList<string> dependsOn)
    {
        var unknown = container.Inputs.Select(p => p.Key).Where(k => !ContainerInputs.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new InvalidOperationException($"{container.Urn}: no Pulumi mapping for input(s) {string.Join(", ", unknown)}");

        var networkMode = Input(container, "networkMode");
        var hostNetwork = networkMode == "host";
        var properties = new YamlMappingNode
        {
            { "name", Literal(Input(container, "name")) },
            { "image", ImageOf(container) },
            { "networkMode", hostNetwork ? Literal("host") : NetworkOf(container, networkMode) },
        };
        if (container.Inputs["restart"] is { } restart) properties.Add("restart", Literal(restart.GetValue<string>()));
        if (container.Inputs["user"] is { } user) properties.Add("user", Literal(user.GetValue<string>()));
        if (container.Inputs["command"] is JsonArray { Count: > 0 } command) properties.Add("command", FromJson(command));
        // Docker discards published ports on the host network, and the provider would then see drift on every refresh.
        if (!hostNetwork && container.Inputs["ports"] is JsonArray { Count: > 0 } ports) properties.Add("ports", List(ports.Select(Port)));
        if (container.Inputs["mounts"] is JsonArray { Count: > 0 } mounts) properties.Add("mounts", List(mounts.Select(Mount)));
        return Docker(container, PulumiPackages.Container, dependsOn, properties);
    }

    private PulumiResource Docker(Resource r, string type, IReadOnlyList<string> dependsOn, YamlMappingNode properties) =>
        new(ResourceKeys.For(r), type, properties)
        {
            Provider = providerKey,
            DependsOn = dependsOn,
            Protect = r.Options.Protect,
            DeleteBeforeReplace = r.Options.DeleteBeforeReplace,
        };

    /// <summary>The image's id from the RemoteImage it depends on, so a new image digest replaces the container.</summary>
    private YamlNode ImageOf(Resource container)
    {
        var name = Input(container, "image");
        var image = Dependency(container, "docker:image", name);
        return image is null ? Literal(name) : Ref(ResourceKeys.For(image), "imageId");
    }

    private YamlNode NetworkOf(Resource container, string networkName)
    {
        var network = Dependency(container, "docker:network", networkName);
        return network is null ? Literal(networkName) : Ref(ResourceKeys.For(network), "name");
    }

    private Resource? Dependency(Resource r, string type, string name) =>
        r.DependsOn.Select(graph.Find).FirstOrDefault(d => d is not null && d.Type == type && Input(d, "name") == name);

    private static YamlNode Port(JsonNode? port)
    {
        var p = port!.AsObject();
        var node = new YamlMappingNode { { "internal", Number(p["container"]!.GetValue<int>()) } };
        if (p["host"] is { } external) node.Add("external", Number(external.GetValue<int>()));
        if (p["hostIp"] is { } ip) node.Add("ip", Literal(ip.GetValue<string>()));
        return node;
    }

    private static YamlNode Mount(JsonNode? mount)
    {
        var m = mount!.AsObject();
        var unknown = m.Select(p => p.Key).Where(k => !MountInputs.Contains(k)).ToList();
        if (unknown.Count > 0) throw new InvalidOperationException($"no Pulumi mapping for mount input(s) {string.Join(", ", unknown)}");
        return FromJson(m);
    }

    private static string Input(Resource r, string key) =>
        r.Inputs[key]?.GetValue<string>() ?? throw new InvalidOperationException($"{r.Urn} has no input '{key}'");
}
