using Secret = Resilience.Model.Secret;

namespace Resilience.Providers.Docker.Containers;

/// <summary>
/// Rebuilds a container's inputs from what Docker reports, in the recorded shape, so drift is a plain
/// comparison: keys the record does not set are left out when Docker shows only the image's or engine's default.
/// </summary>
public static class LiveContainerInputs
{
    /// <param name="imageConfig">Config of the image the container runs (its defaults: env, cmd, user, labels).</param>
    /// <param name="currentImageId">The id the container's image name points to now; null when the name is gone.</param>
    /// <param name="health">How it fares (with its ready URL's answer); default: from its state alone.</param>
    public static JsonObject From(ContainerInspectResponse live, Config? imageConfig, string? currentImageId, JsonObject recorded, ContainerHealth? health = null)
    {
        var config = live.Config ?? new Config();
        var host = live.HostConfig ?? new HostConfig();
        var result = new JsonObject
        {
            ["name"] = live.Name.TrimStart('/'),
            // A container keeps the image it was created from; when the name now points elsewhere, say so.
            ["image"] = currentImageId == live.Image ? config.Image : $"{config.Image}@{live.Image}",
        };

        var networkMode = host.NetworkMode;
        if (recorded.ContainsKey("networkMode") || networkMode is not ("default" or "bridge" or "" or null)) result["networkMode"] = networkMode;

        var command = config.Cmd ?? [];
        if (recorded.ContainsKey("command") || !command.SequenceEqual(imageConfig?.Cmd ?? [])) result["command"] = Strings(command);

        var env = Env(config.Env, imageConfig?.Env, recorded["env"] as JsonObject);
        if (recorded.ContainsKey("env") || env.Count > 0) result["env"] = env;

        if (host.NetworkMode == "host") Copy(recorded, result, "ports"); // not published in host mode: nothing to observe
        else
        {
            var ports = Ports(host.PortBindings, recorded["ports"] as JsonArray);
            if (recorded.ContainsKey("ports") || ports.Count > 0) result["ports"] = ports;
        }

        var mounts = Mounts(host.Mounts, recorded["mounts"] as JsonArray);
        if (recorded.ContainsKey("mounts") || mounts.Count > 0) result["mounts"] = mounts;

        var restart = ContainerParameters.RestartName(host.RestartPolicy?.Name ?? RestartPolicyKind.No);
        if (recorded.ContainsKey("restart") || restart != "no") result["restart"] = restart;

        var user = config.User ?? "";
        if (recorded.ContainsKey("user") || user != (imageConfig?.User ?? "")) result["user"] = user;

        foreach (var key in new[] { "ready", "reload", "configHash" }) Copy(recorded, result, key);

        var labels = Labels(config.Labels, imageConfig?.Labels, recorded["labels"] as JsonObject);
        if (recorded.ContainsKey("labels") || labels.Count > 0) result["labels"] = labels;

        health ??= ContainerHealth.Of(live, ready: null);
        if (!health.Healthy) result[ContainerHealth.Key] = health.ToJson();
        return result;
    }

    private static JsonObject Env(IList<string>? live, IList<string>? image, JsonObject? recorded)
    {
        var values = Pairs(live);
        var imageValues = Pairs(image);
        var result = new JsonObject();
        foreach (var (key, wanted) in recorded ?? [])
        {
            if (!values.Remove(key, out var value)) continue;
            result[key] = Secret.IsSecret(wanted)
                ? Secret.Fingerprint(Secret.Reveal(wanted)!) == Secret.Fingerprint(value) ? wanted!.DeepClone() : Secret.Wrap(value)
                : value;
        }
        foreach (var (key, value) in values.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (imageValues.GetValueOrDefault(key) != value) result[key] = value;
        }
        return result;
    }

    private static Dictionary<string, string> Pairs(IList<string>? entries)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in entries ?? [])
        {
            var equals = entry.IndexOf('=');
            if (equals > 0) pairs[entry[..equals]] = entry[(equals + 1)..];
        }
        return pairs;
    }

    private static JsonArray Ports(IDictionary<string, IList<PortBinding>>? bindings, JsonArray? recorded)
    {
        var live = new List<JsonObject>();
        foreach (var (key, list) in bindings ?? new Dictionary<string, IList<PortBinding>>())
        {
            if (!int.TryParse(key.Split('/')[0], out var containerPort)) continue;
            foreach (var binding in list ?? [])
            {
                var item = new JsonObject { ["host"] = int.TryParse(binding.HostPort, out var hostPort) ? hostPort : 0, ["container"] = containerPort };
                if (!string.IsNullOrEmpty(binding.HostIP)) item["hostIp"] = binding.HostIP;
                live.Add(item);
            }
        }
        return InRecordedOrder(live, recorded, p => $"{p["container"]}:{p["host"]}");
    }

    private static JsonArray Mounts(IList<Mount>? mounts, JsonArray? recorded)
    {
        var recordedByTarget = (recorded ?? []).OfType<JsonObject>().ToDictionary(m => m["target"]?.ToString() ?? "", m => m);
        var live = (mounts ?? []).Select(m =>
        {
            var item = new JsonObject { ["type"] = m.Type, ["source"] = m.Source, ["target"] = m.Target };
            if (m.ReadOnly || (recordedByTarget.TryGetValue(m.Target, out var r) && r.ContainsKey("readOnly"))) item["readOnly"] = m.ReadOnly;
            return item;
        }).ToList();
        return InRecordedOrder(live, recorded, m => m["target"]?.ToString() ?? "");
    }

    private static JsonObject Labels(IDictionary<string, string>? live, IDictionary<string, string>? image, JsonObject? recorded)
    {
        var result = new JsonObject();
        foreach (var (key, value) in ObjectLabels.UserLabels(live))
        {
            var text = value!.GetValue<string>();
            var fromImage = image is not null && image.TryGetValue(key, out var imageValue) && imageValue == text;
            if (recorded?.ContainsKey(key) == true || !fromImage) result[key] = text;
        }
        return result;
    }

    /// <summary>Live items ordered like the record (matched by key), then the ones the record lacks.</summary>
    private static JsonArray InRecordedOrder(List<JsonObject> live, JsonArray? recorded, Func<JsonObject, string> key)
    {
        var rank = new Dictionary<string, int>(StringComparer.Ordinal);
        var i = 0;
        foreach (var item in (recorded ?? []).OfType<JsonObject>()) rank.TryAdd(key(item), i++);
        return new JsonArray(live
            .OrderBy(item => rank.GetValueOrDefault(key(item), int.MaxValue))
            .ThenBy(item => key(item), StringComparer.Ordinal)
            .Select(JsonNode? (item) => item)
            .ToArray());
    }

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    private static void Copy(JsonObject from, JsonObject to, string key)
    {
        if (from.ContainsKey(key)) to[key] = from[key]?.DeepClone();
    }
}
