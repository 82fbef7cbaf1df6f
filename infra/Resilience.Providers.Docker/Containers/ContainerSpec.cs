using System.Text.Json.Nodes;
using Resilience.Model;

namespace Resilience.Providers.Docker.Containers;

public sealed record PortSpec(int Host, int Container, string? HostIp);

public sealed record MountSpec(string Type, string Source, string Target, bool ReadOnly);

public sealed record ReadySpec(Uri Url, TimeSpan Timeout);

public enum ReloadKind
{
    Http,
    Signal,
    Restart,
}

public sealed record ReloadSpec(ReloadKind Kind, Uri? Url, string? Signal);

/// <summary>The inputs of a "docker:container" resource. Env values are revealed here: this is where they go to Docker.</summary>
public sealed record ContainerSpec(
    string Name,
    string Image,
    string? NetworkMode,
    IReadOnlyList<string>? Command,
    IReadOnlyDictionary<string, string> Env,
    IReadOnlyList<PortSpec> Ports,
    IReadOnlyList<MountSpec> Mounts,
    string? Restart,
    string? User,
    ReadySpec? Ready,
    ReloadSpec? Reload)
{
    public static readonly IReadOnlySet<string> RestartPolicies = new HashSet<string> { "no", "always", "unless-stopped", "on-failure" };

    public bool HostNetwork => NetworkMode == "host";

    public static (ContainerSpec? Spec, IReadOnlyList<string> Problems) Parse(Resource resource)
    {
        var reader = new SpecReader(resource.Urn);
        var inputs = resource.Inputs;
        var name = reader.String(inputs, "name", "", required: true);
        var image = reader.String(inputs, "image", "", required: true);
        var networkMode = reader.String(inputs, "networkMode", "");

        if (Secret.Contains(inputs["command"])) reader.Problem("command", "must not contain secrets: process arguments are visible to every user of the host; pass secrets through env or files");
        var command = reader.Strings(inputs, "command", "");

        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (reader.Object(inputs, "env", "") is { } envNode)
        {
            foreach (var (key, value) in envNode)
            {
                if (key.Length == 0 || key.Contains('=')) reader.Problem($"env.{key}", "is not a valid variable name");
                else if (Secret.IsSecret(value) || value is JsonValue { } v && v.GetValueKind() == System.Text.Json.JsonValueKind.String) env[key] = Secret.Reveal(value) ?? "";
                else reader.Problem($"env.{key}", "must be a string or a secret");
            }
        }

        var ports = new List<PortSpec>();
        foreach (var (item, path) in reader.Objects(inputs, "ports", ""))
        {
            var host = reader.Int(item, "host", path, required: true);
            var container = reader.Int(item, "container", path, required: true);
            var hostIp = reader.String(item, "hostIp", path);
            if (host is < 1 or > 65535) reader.Problem($"{path}.host", $"{host} is not a port");
            if (container is < 1 or > 65535) reader.Problem($"{path}.container", $"{container} is not a port");
            if (host is not null && container is not null) ports.Add(new PortSpec(host.Value, container.Value, hostIp));
        }

        var mounts = new List<MountSpec>();
        foreach (var (item, path) in reader.Objects(inputs, "mounts", ""))
        {
            var type = reader.String(item, "type", path, required: true);
            var source = reader.String(item, "source", path, required: true);
            var target = reader.String(item, "target", path, required: true);
            var readOnly = reader.Bool(item, "readOnly", path) ?? false;
            if (type is not null and not "bind" and not "volume") reader.Problem($"{path}.type", $"must be 'bind' or 'volume', not '{type}'");
            if (type == "bind" && source is { Length: > 0 } && !source.StartsWith('/')) reader.Problem($"{path}.source", $"'{source}' must be an absolute host path");
            if (target is { Length: > 0 } && !target.StartsWith('/')) reader.Problem($"{path}.target", $"'{target}' must be an absolute path");
            if (type is not null && source is not null && target is not null) mounts.Add(new MountSpec(type, source, target, readOnly));
        }

        var restart = reader.String(inputs, "restart", "");
        if (restart is not null && !RestartPolicies.Contains(restart)) reader.Problem("restart", $"'{restart}' must be one of {string.Join(", ", RestartPolicies)}");
        var user = reader.String(inputs, "user", "");
        var ready = ParseReady(reader, inputs);
        var reload = ParseReload(reader, inputs);
        reader.String(inputs, "configHash", "");
        if (reader.StringMap(inputs, "labels", "") is { } labels)
        {
            foreach (var key in labels.Keys.Where(ObjectLabels.IsReserved)) reader.Problem($"labels.{key}", "uses the reserved prefix 'resilience.'");
        }

        if (reader.Problems.Count > 0) return (null, reader.Problems);
        return (new ContainerSpec(name!, image!, networkMode, command, env, ports, mounts, restart, user, ready, reload), []);
    }

    private static ReadySpec? ParseReady(SpecReader reader, JsonObject inputs)
    {
        if (reader.Object(inputs, "ready", "") is not { } ready) return null;
        var url = ParseUrl(reader, ready, "ready");
        var seconds = reader.Int(ready, "timeoutSeconds", "ready") ?? 60;
        if (seconds <= 0) reader.Problem("ready.timeoutSeconds", "must be positive");
        return url is null ? null : new ReadySpec(url, TimeSpan.FromSeconds(seconds));
    }

    private static ReloadSpec? ParseReload(SpecReader reader, JsonObject inputs)
    {
        if (reader.Object(inputs, "reload", "") is not { } reload) return null;
        switch (reader.String(reload, "kind", "reload", required: true))
        {
            case "http":
                var url = ParseUrl(reader, reload, "reload");
                return url is null ? null : new ReloadSpec(ReloadKind.Http, url, null);
            case "signal":
                var signal = reader.String(reload, "signal", "reload", required: true);
                return signal is null ? null : new ReloadSpec(ReloadKind.Signal, null, signal);
            case "restart":
                return new ReloadSpec(ReloadKind.Restart, null, null);
            case { } other:
                reader.Problem("reload.kind", $"must be 'http', 'signal' or 'restart', not '{other}'");
                return null;
            default:
                return null;
        }
    }

    private static Uri? ParseUrl(SpecReader reader, JsonObject o, string path)
    {
        var text = reader.String(o, "url", path, required: true);
        if (text is null) return null;
        if (Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https") return url;
        reader.Problem($"{path}.url", $"'{text}' is not an http(s) URL");
        return null;
    }
}
