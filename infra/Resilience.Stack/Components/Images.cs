using Resilience.Contracts.Docker;
using Resilience.Model;
using Resilience.Stack.Config;

namespace Resilience.Stack.Components;

/// <summary>
/// The container images. Where no registry is reachable (here) they are built from Debian's binaries, which link
/// only libc; on the user's machines the image source is a registry and the pinned upstream images are pulled.
/// </summary>
public sealed record StackImages(Resource Prometheus, Resource Pushgateway, Resource Nats, Resource Alertmanager)
{
    public bool Local => Prometheus.Input("source") == "local";

    public static StackImages Declare(StackBuilder b)
    {
        var images = b.Settings.Images;
        var local = images.Source == "local";
        return new StackImages(
            b.Add("prometheus", local ? LocalPrometheus(b.Stack) : Registry(images.Prometheus)),
            b.Add("pushgateway", local ? LocalPushgateway(b.Stack) : Registry(images.Pushgateway)),
            b.Add("nats-server", local ? LocalNats(b.Stack) : Registry(images.Nats)),
            b.Add("alertmanager", local ? LocalAlertmanager(b.Stack) : Registry(b.Settings.Alerts.Image)));
    }

    /// <summary>Only the nats-server image: for a stack that runs nothing else (the witness).</summary>
    public static Resource DeclareNats(StackBuilder b)
    {
        var images = b.Settings.Images;
        return b.Add("nats-server", images.Source == "local" ? LocalNats(b.Stack) : Registry(images.Nats));
    }

    public static string NameOf(Resource image) => image.Input("name");

    private static ImageFile File(string from, string to) => new()
    {
        From = from,
        To = to,
        // Debian's web assets link to ~190 MB of time-zone data the UI does not need.
        Exclude = to == "/usr/share/prometheus/web" ? ["static/moment-timezone/data"] : null,
    };

    private static ImageInputs LocalPrometheus(string stack) => LocalBuild($"resilience-{stack}/prometheus:2.42.0-debian",
        files: [File("/usr/bin/prometheus", "/bin/prometheus"), File("/usr/share/prometheus/web", "/usr/share/prometheus/web")],
        dirs: ["/prometheus", "/etc/prometheus"], user: "65534:65534", entrypoint: ["/bin/prometheus"]);

    private static ImageInputs LocalPushgateway(string stack) => LocalBuild($"resilience-{stack}/pushgateway:1.5.1-debian",
        files: [File("/usr/bin/prometheus-pushgateway", "/bin/pushgateway")],
        dirs: ["/data"], user: "65534:65534", entrypoint: ["/bin/pushgateway"]);

    private static ImageInputs LocalNats(string stack) => LocalBuild($"resilience-{stack}/nats-server:2.9.10-debian",
        files: [File("/usr/sbin/nats-server", "/bin/nats-server")],
        dirs: ["/data", "/etc/nats"], user: null, entrypoint: ["/bin/nats-server"]);

    private static ImageInputs LocalAlertmanager(string stack) => LocalBuild($"resilience-{stack}/alertmanager:0.25.0-debian",
        // Debian's build reads its notification templates from this folder (upstream embeds them): without it no notification is sent.
        files: [File("/usr/bin/prometheus-alertmanager", "/bin/alertmanager"), File("/usr/bin/amtool", "/bin/amtool"),
            File("/usr/share/prometheus/alertmanager", "/usr/share/prometheus/alertmanager")],
        dirs: ["/alertmanager", "/etc/alertmanager"], user: null, entrypoint: ["/bin/alertmanager"]);

    /// <summary>
    /// A self-contained single-file .NET program (the failover runtime, the demo fleet): the file (made by the publish
    /// the image depends on, hence "generated") plus the libraries ldd names (libc, libstdc++, libgcc_s, libm, …),
    /// <paramref name="dirs"/> (1777), a 1777 /tmp; the file keeps its name in /bin.
    /// </summary>
    public static ImageInputs LocalDotnet(string stack, string image, string publishedFile, string tag, string[] dirs, string? user = null) =>
        // .NET loads OpenSSL with dlopen at start (ldd cannot see it) and exits without it: "No usable version of libssl".
        LocalBuild($"resilience-{stack}/{image}:{tag}",
            files: [File(publishedFile, $"/bin/{Path.GetFileName(publishedFile)}") with { Generated = true }, File(OpenSsl + "libssl.so.3", OpenSsl + "libssl.so.3"), File(OpenSsl + "libcrypto.so.3", OpenSsl + "libcrypto.so.3")],
            dirs: dirs, user: user, entrypoint: [$"/bin/{Path.GetFileName(publishedFile)}"]);

    private const string OpenSsl = "/usr/lib/x86_64-linux-gnu/";

    public static ImageInputs Registry(string reference) => new() { Name = reference, Source = ImageSource.Registry };

    private static ImageInputs LocalBuild(string name, ImageFile[] files, string[] dirs, string? user, string[] entrypoint) => new()
    {
        Name = name,
        Source = ImageSource.Local,
        Build = new ImageBuild
        {
            Files = files,
            Dirs = dirs.Select(d => new ImageDirectory { Path = d, Mode = "1777" }).ToList(),
            Entrypoint = entrypoint,
            User = user,
        },
    };
}

internal static class ResourceInputs
{
    public static string Input(this Resource resource, string key) => resource.Inputs[key]!.GetValue<string>();
}
