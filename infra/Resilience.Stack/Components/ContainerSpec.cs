using System.Text.Json.Nodes;
using Resilience.Stack.Config;

namespace Resilience.Stack.Components;

/// <summary>
/// Builds docker:container inputs for either network mode. In host mode a service listens on the machine's
/// address and its published port directly, so rendered configs equal production's but for the address;
/// in bridge mode it listens inside the container and Docker publishes the port on the machine address.
/// </summary>
public sealed class ContainerSpec(StackBuilder b, string component, string image)
{
    private readonly JsonArray _command = [];
    private readonly JsonArray _ports = [];
    private readonly JsonArray _mounts = [];
    private readonly JsonObject _inputs = new()
    {
        ["name"] = b.ContainerName(component),
        ["image"] = image,
        ["networkMode"] = b.Settings.HostNetwork ? "host" : NetworkName(b),
        ["restart"] = "unless-stopped",
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
        foreach (var a in args) _command.Add(a);
        return this;
    }

    public ContainerSpec Port(int hostPort, int containerPort)
    {
        _ports.Add(new JsonObject { ["host"] = hostPort, ["container"] = b.Settings.HostNetwork ? hostPort : containerPort, ["hostIp"] = b.Settings.This.Address });
        return this;
    }

    public ContainerSpec BindDir(string hostDir, string target)
    {
        _mounts.Add(new JsonObject { ["type"] = "bind", ["source"] = hostDir, ["target"] = target, ["readOnly"] = true });
        return this;
    }

    public ContainerSpec Volume(string volumeName, string target)
    {
        _mounts.Add(new JsonObject { ["type"] = "volume", ["source"] = volumeName, ["target"] = target });
        return this;
    }

    public ContainerSpec User(string user)
    {
        _inputs["user"] = user;
        return this;
    }

    public ContainerSpec Ready(string url)
    {
        _inputs["ready"] = new JsonObject { ["url"] = url, ["timeoutSeconds"] = 60 };
        return this;
    }

    public ContainerSpec ReloadByHttp(string url, string configHash) =>
        Reload(new JsonObject { ["kind"] = "http", ["url"] = url }, configHash);

    public ContainerSpec ReloadBySignal(string signal, string configHash) =>
        Reload(new JsonObject { ["kind"] = "signal", ["signal"] = signal }, configHash);

    public ContainerSpec ReloadByRestart(string configHash) =>
        Reload(new JsonObject { ["kind"] = "restart" }, configHash);

    private ContainerSpec Reload(JsonObject how, string configHash)
    {
        _inputs["reload"] = how;
        _inputs["configHash"] = configHash;
        return this;
    }

    public JsonObject Build()
    {
        var inputs = (JsonObject)_inputs.DeepClone();
        inputs["command"] = _command.DeepClone();
        inputs["ports"] = _ports.DeepClone();
        inputs["mounts"] = _mounts.DeepClone();
        return inputs;
    }
}
