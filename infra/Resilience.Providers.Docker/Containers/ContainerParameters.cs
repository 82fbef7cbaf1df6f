using Resilience.Contracts;

namespace Resilience.Providers.Docker.Containers;

/// <summary>Translates container inputs into the Docker API's create request.</summary>
internal static class ContainerParameters
{
    public static CreateContainerParameters For(Resource resource, ContainerInputs spec, string? configHash)
    {
        var labels = ObjectLabels.For(resource);
        if (configHash is not null) labels[ObjectLabels.ConfigHash] = configHash;
        IReadOnlyList<ContainerPort> published = spec.HostNetwork ? [] : spec.Ports ?? [];
        return new CreateContainerParameters
        {
            Name = spec.Name,
            Image = spec.Image,
            Cmd = spec.Command?.ToList(),
            Env = (spec.Env ?? new Dictionary<string, SecretText>()).Select(p => $"{p.Key}={p.Value.Value}").ToList(),
            User = spec.User,
            Labels = labels,
            ExposedPorts = published.ToDictionary(p => PortKey(p.Container), _ => default(EmptyStruct)),
            HostConfig = new HostConfig
            {
                NetworkMode = spec.NetworkMode,
                PortBindings = published.GroupBy(p => PortKey(p.Container)).ToDictionary(
                    g => g.Key,
                    g => (IList<PortBinding>)g.Select(p => new PortBinding { HostIP = p.HostIp ?? "", HostPort = p.Host.ToString() }).ToList()),
                Mounts = (spec.Mounts ?? []).Select(m => new Mount { Type = MountType(m.Type), Source = m.Source, Target = m.Target, ReadOnly = m.ReadOnly ?? false }).ToList(),
                RestartPolicy = new RestartPolicy { Name = RestartKind(spec.Restart) },
            },
        };
    }

    private static string MountType(MountKind kind) => kind == MountKind.Bind ? "bind" : "volume";

    public static string PortKey(int containerPort) => $"{containerPort}/tcp";

    public static RestartPolicyKind RestartKind(string? restart) => restart switch
    {
        "always" => RestartPolicyKind.Always,
        "unless-stopped" => RestartPolicyKind.UnlessStopped,
        "on-failure" => RestartPolicyKind.OnFailure,
        _ => RestartPolicyKind.No,
    };

    public static string RestartName(RestartPolicyKind kind) => kind switch
    {
        RestartPolicyKind.Always => "always",
        RestartPolicyKind.UnlessStopped => "unless-stopped",
        RestartPolicyKind.OnFailure => "on-failure",
        _ => "no",
    };
}
