using System.Text.Json.Nodes;
using Resilience.Model;
using Resilience.Stack.Config;

namespace Resilience.Stack.Components;

/// <summary>
/// The container images. Where no registry is reachable (here) they are built from Debian's binaries, which link
/// only libc; on the user's machines the image source is a registry and the pinned upstream images are pulled.
/// </summary>
public sealed record StackImages(Resource Prometheus, Resource Pushgateway, Resource Nats)
{
    public bool Local => Prometheus.Input("source") == "local";

    public static StackImages Declare(StackBuilder b)
    {
        var images = b.Settings.Images;
        var local = images.Source == "local";
        return new StackImages(
            b.Add("docker:image", "prometheus", local ? LocalPrometheus(b.Stack) : Registry(images.Prometheus)),
            b.Add("docker:image", "pushgateway", local ? LocalPushgateway(b.Stack) : Registry(images.Pushgateway)),
            b.Add("docker:image", "nats-server", local ? LocalNats(b.Stack) : Registry(images.Nats)));
    }

    /// <summary>Only the nats-server image: for a stack that runs nothing else (the witness).</summary>
    public static Resource DeclareNats(StackBuilder b)
    {
        var images = b.Settings.Images;
        return b.Add("docker:image", "nats-server", images.Source == "local" ? LocalNats(b.Stack) : Registry(images.Nats));
    }

    public static string NameOf(Resource image) => image.Input("name");

    private static JsonObject File(string from, string to)
    {
        var file = new JsonObject { ["from"] = from, ["to"] = to };
        // Debian's web assets link to ~190 MB of time-zone data the UI does not need.
        if (to == "/usr/share/prometheus/web") file["exclude"] = new JsonArray("static/moment-timezone/data");
        return file;
    }

    private static JsonObject LocalPrometheus(string stack) => LocalBuild($"resilience-{stack}/prometheus:2.42.0-debian",
        files: [("/usr/bin/prometheus", "/bin/prometheus"), ("/usr/share/prometheus/web", "/usr/share/prometheus/web")],
        dirs: ["/prometheus", "/etc/prometheus"], user: "65534:65534", entrypoint: ["/bin/prometheus"]);

    private static JsonObject LocalPushgateway(string stack) => LocalBuild($"resilience-{stack}/pushgateway:1.5.1-debian",
        files: [("/usr/bin/prometheus-pushgateway", "/bin/pushgateway")],
        dirs: ["/data"], user: "65534:65534", entrypoint: ["/bin/pushgateway"]);

    private static JsonObject LocalNats(string stack) => LocalBuild($"resilience-{stack}/nats-server:2.9.10-debian",
        files: [("/usr/sbin/nats-server", "/bin/nats-server")],
        dirs: ["/data", "/etc/nats"], user: null, entrypoint: ["/bin/nats-server"]);

    /// <summary>
    /// The failover runtime: its self-contained single file (made by the publish the image depends on, hence
    /// "generated") plus the libraries ldd names (libc, libstdc++, libgcc_s, libm, …), /data for the buffer, a 1777 /tmp.
    /// </summary>
    public static JsonObject LocalRuntime(string stack, string binary, string tag)
    {
        // .NET loads OpenSSL with dlopen at start (ldd cannot see it) and exits without it: "No usable version of libssl".
        var image = LocalBuild($"resilience-{stack}/runtime:{tag}",
            files: [(binary, "/bin/resilience-runtime"), (OpenSsl + "libssl.so.3", OpenSsl + "libssl.so.3"), (OpenSsl + "libcrypto.so.3", OpenSsl + "libcrypto.so.3")],
            dirs: ["/data", "/etc/resilience"], user: null, entrypoint: ["/bin/resilience-runtime"]);
        image["build"]!["files"]![0]!["generated"] = true;
        return image;
    }

    private const string OpenSsl = "/usr/lib/x86_64-linux-gnu/";

    public static JsonObject Registry(string reference) => new() { ["name"] = reference, ["source"] = "registry" };

    private static JsonObject LocalBuild(string name, (string From, string To)[] files, string[] dirs, string? user, string[] entrypoint)
    {
        var build = new JsonObject
        {
            ["files"] = new JsonArray(files.Select(f => (JsonNode)File(f.From, f.To)).ToArray()),
            ["dirs"] = new JsonArray(dirs.Select(d => (JsonNode)new JsonObject { ["path"] = d, ["mode"] = "1777" }).ToArray()),
            ["entrypoint"] = new JsonArray(entrypoint.Select(e => (JsonNode)e).ToArray()),
        };
        if (user is not null) build["user"] = user;
        return new JsonObject { ["name"] = name, ["source"] = "local", ["build"] = build };
    }
}

internal static class ResourceInputs
{
    public static string Input(this Resource resource, string key) => resource.Inputs[key]!.GetValue<string>();
}
