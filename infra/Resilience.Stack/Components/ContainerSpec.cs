using Resilience.Contracts.Docker;
using Resilience.Model;
using Resilience.Stack.Config;

namespace Resilience.Stack.Components;

/// <summary>
/// Builds docker:container inputs for either network mode. In host mode a service listens on the machine's
/// address and its published port directly, so rendered configs equal production's but for the address;
/// in bridge mode it listens inside the container and Docker publishes the port on the machine address.
/// </summary>
public sealed class ContainerSpec(StackBuilder b, string component, string image)
{
    private readonly List<string> _command = [];
    private readonly List<ContainerPort> _ports = [];
    private readonly List<ContainerMount> _mounts = [];
    private ContainerInputs _inputs = new()
    {
        Name = b.ContainerName(component),
        Image = image,
        NetworkMode = b.Settings.HostNetwork ? "host" : NetworkName(b),
        Restart = "unless-stopped",
    };

    public static string NetworkName(StackBuilder b) => $"resilience-{b.Stack}";

    /// <summary>The address:port the service binds to: the machine's in host mode, all interfaces inside a bridge.</summary>
    public string Listen(int hostPort, int containerPort) =>
        b.Settings.HostNetwork ? $"{b.Settings.This.Address}:{hostPort}" : $"0.0.0.0:{containerPort}";

    /// <summary>How a sibling container on the same machine reaches this one.</summary>
    public string LocalTarget(int hostPort, int containerPort) =>
        b.Settings.HostNetwork ? $"{b.Settings.This.Address}:{hostPort}" : $"{b.ContainerName(component)}:{containerPort}";

    public ContainerSpec Args(params string[] args)
    {
        _command.AddRange(args);
        return this;
    }

    public ContainerSpec Port(int hostPort, int containerPort)
    {
        _ports.Add(new ContainerPort { Host = hostPort, Container = b.Settings.HostNetwork ? hostPort : containerPort, HostIp = b.Settings.This.Address });
        return this;
    }

    public ContainerSpec BindDir(string hostDir, string target)
    {
        _mounts.Add(new ContainerMount { Type = MountKind.Bind, Source = hostDir, Target = target, ReadOnly = true });
        return this;
    }

    public ContainerSpec Volume(string volumeName, string target)
    {
        _mounts.Add(new ContainerMount { Type = MountKind.Volume, Source = volumeName, Target = target });
        return this;
    }

    public ContainerSpec User(string user)
    {
        _inputs = _inputs with { User = user };
        return this;
    }

    /// <param name="auth">For a listener with TLS and basic auth: the CA and the user the tool calls it with.</param>
    public ContainerSpec Ready(string url, HttpProbeAuth? auth = null)
    {
        _inputs = _inputs with { Ready = new Readiness { Url = url, TimeoutSeconds = 60, Auth = auth } };
        return this;
    }

    /// <param name="files">The config files it reads: put back when the service refuses them (<see cref="ReloadHow.Files"/>).</param>
    public ContainerSpec ReloadByHttp(string url, string configHash, params IReadOnlyList<Resource> files) =>
        Reload(ReloadHow.ByHttp(url, PathsOf(files)), configHash);

    /// <param name="auth">For a listener whose lifecycle endpoints answer only a user (<see cref="WebListener"/>).</param>
    public ContainerSpec ReloadByHttp(string url, string configHash, HttpProbeAuth? auth, params IReadOnlyList<Resource> files) =>
        Reload(ReloadHow.ByHttp(url, PathsOf(files), auth), configHash);

    public ContainerSpec ReloadBySignal(string signal, string configHash) => Reload(ReloadHow.BySignal(signal), configHash);

    public ContainerSpec ReloadByRestart(string configHash, params IReadOnlyList<Resource> files) =>
        Reload(ReloadHow.ByRestart(PathsOf(files)), configHash);

    private static List<string>? PathsOf(IReadOnlyList<Resource> files) =>
        files.Count == 0 ? null : files.Select(f => f.Inputs["path"]!.GetValue<string>()).ToList();

    private ContainerSpec Reload(ReloadHow how, string configHash)
    {
        _inputs = _inputs with { Reload = how, ConfigHash = configHash };
        return this;
    }

    public ContainerInputs Build() => _inputs with { Command = [.. _command], Ports = [.. _ports], Mounts = [.. _mounts] };
}
