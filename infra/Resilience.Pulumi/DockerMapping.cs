using System.Text.Json.Nodes;
using Resilience.Contracts.Docker;
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
    /// <summary>The container inputs that become properties of the same name; ready, reload and configHash become commands.</summary>
    private static readonly MappedInputs<ContainerInputs> ContainerProperties = new(
        nameof(ContainerInputs.Name), nameof(ContainerInputs.Image), nameof(ContainerInputs.NetworkMode), nameof(ContainerInputs.Restart),
        nameof(ContainerInputs.User), nameof(ContainerInputs.Command), nameof(ContainerInputs.Ports), nameof(ContainerInputs.Mounts));

    private static readonly MappedInputs<ContainerInputs> ContainerInputsMapped = ContainerProperties.With(
        nameof(ContainerInputs.Ready), nameof(ContainerInputs.Reload), nameof(ContainerInputs.ConfigHash));

    /// <summary>
    /// The Pulumi path pulls every image by its pinned name: a local build (source, build) is the embedded engine's way of
    /// making the same image where no registry is reachable, so those inputs are read and knowingly not carried.
    /// </summary>
    private static readonly MappedInputs<ImageInputs> ImageInputsMapped = new(nameof(ImageInputs.Name), nameof(ImageInputs.Source), nameof(ImageInputs.Build));

    private static readonly MappedInputs<ImageInputs> ImageProperties = new(nameof(ImageInputs.Name));

    private static readonly MappedInputs<NetworkInputs> NetworkProperties = new(nameof(NetworkInputs.Name), nameof(NetworkInputs.Driver));

    private static readonly MappedInputs<VolumeInputs> VolumeProperties = new(nameof(VolumeInputs.Name));

    /// <summary>Always the registry image by its pinned name; kept locally on destroy because stacks share images.</summary>
    public PulumiResource Image(Resource image, IReadOnlyList<string> dependsOn)
    {
        var inputs = ImageInputsMapped.Read(image);
        return Docker(image, PulumiPackages.RemoteImage, dependsOn, new YamlMappingNode
        {
            { "name", Literal(inputs.Name) },
            { "keepLocally", Bool(true) },
        }, ImageProperties);
    }

    public PulumiResource Network(Resource network, IReadOnlyList<string> dependsOn)
    {
        var inputs = NetworkProperties.Read(network);
        var properties = new YamlMappingNode { { "name", Literal(inputs.Name) } };
        if (inputs.Driver is { } driver) properties.Add("driver", Literal(driver));
        return Docker(network, PulumiPackages.Network, dependsOn, properties, NetworkProperties);
    }

    public PulumiResource Volume(Resource volume, IReadOnlyList<string> dependsOn) =>
        Docker(volume, PulumiPackages.Volume, dependsOn, new YamlMappingNode { { "name", Literal(VolumeProperties.Read(volume).Name) } }, VolumeProperties);

    public PulumiResource Container(Resource container, IReadOnlyList<string> dependsOn)
    {
        ContainerInputsMapped.Read(container);
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
        return Docker(container, PulumiPackages.Container, dependsOn, properties, ContainerProperties);
    }

    /// <param name="mapped">The inputs mapped to properties of the same name: those marked [ReplaceOnChange] replace the resource.</param>
    private PulumiResource Docker<T>(Resource r, string type, IReadOnlyList<string> dependsOn, YamlMappingNode properties, MappedInputs<T> mapped)
        where T : class =>
        new(ResourceKeys.For(r), type, properties)
        {
            Provider = providerKey,
            DependsOn = dependsOn,
            Protect = r.Options.Protect,
            DeleteBeforeReplace = r.Options.DeleteBeforeReplace,
            ReplaceOnChanges = mapped.ReplaceKeys.Where(k => properties.Children.ContainsKey(new YamlScalarNode(k))).ToList(),
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
        // The mount's members are pulumi-docker's ContainerMount properties of the same name.
        return FromJson(mount!.AsObject());
    }

    private static string Input(Resource r, string key) =>
        r.Inputs[key]?.GetValue<string>() ?? throw new InvalidOperationException($"{r.Urn} has no input '{key}'");
}
