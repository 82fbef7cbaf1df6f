using Resilience.Contracts.Docker;
using Resilience.Model;
using Resilience.Stack.Config;
using Resilience.Stack.Inventory;
using Resilience.Stack.Rendering;

namespace Resilience.Stack.Components;

/// <summary>
/// The failover runtime (runtime/) on this machine: agents push to it with the Pushgateway API and it forwards to
/// the best tier that is up (local hub → remote hub → local Pushgateway → its file buffer) and publishes its decision
/// on NATS. Built locally (publish → image of the single file and its libraries) or pulled as a pinned image.
/// </summary>
public static class FailoverRuntime
{
    public const string Binary = "resilience-runtime";
    public const string ImageVersion = "0.1.0";
    private const int ContainerPort = 9095;

    /// <param name="sourceHash">Hash of the runtime's sources (<see cref="RuntimeSources"/>); only for a local image.</param>
    /// <param name="tierContainers">This machine's hub, Pushgateway and NATS: the runtime starts once its tiers exist.</param>
    public static Resource Declare(StackBuilder b, TemplateRenderer templates, StackImages images, Resource? network,
        IReadOnlyList<Agent> agents, string? sourceHash, IReadOnlyList<Resource> tierContainers)
    {
        var s = b.Settings;
        var image = DeclareImage(b, images, sourceHash);
        var spec = new ContainerSpec(b, "runtime", StackImages.NameOf(image));
        var config = RuntimeConfigModel.Render(RuntimeConfigModel.For(b, spec, agents), b.Stack);
        // With a NATS password (or the security material's runtime user) the URL carries user:password@, so the whole
        // file is a secret (0600, masked in state); so does the runtime's own HTTP credential.
        var configFile = b.AddFile("runtime/runtime.yaml", config, secret: s.NatsPassword is not null || s.Security is not null);
        var natsCa = NatsSecurity.DeclareRuntimeCa(b);
        var data = DeclareData(b);
        // Read once at start, as root, before the runtime gives root up: no owner needed.
        var tlsFiles = s.Security is { } security ? ListenerTls.DeclareFiles(b, security, "runtime") : [];

        spec.Args("--config", "/etc/resilience/runtime.yaml")
            .Port(s.Runtime.Port, ContainerPort)
            .BindDir(Path.Combine(b.HostDir, "runtime"), "/etc/resilience")
            .Volume(b.ContainerName("runtime-data"), "/data")
            .Ready($"{Url(s)}/healthz", ListenerTls.ProbeAuth(b, "runtime"))
            // The runtime reads its config once at start: a changed file restarts the same container (the buffer is on the volume).
            .ReloadByRestart(RestartHash(s, config));
        var dependsOn = new List<Resource> { image, configFile, data };
        if (natsCa is not null) dependsOn.Add(natsCa);
        dependsOn.AddRange(tlsFiles);
        dependsOn.AddRange(tierContainers);
        if (network is not null) dependsOn.Add(network);
        var container = b.Add("runtime", spec.Build(), dependsOn, new ResourceOptions { DeleteBeforeReplace = true });
        b.Output("runtimeIngestUrl", IngestUrl(s));
        var other = Machines.Other(s.Machine);
        b.DataPath(container, b.Here(tierContainers[0]), "tier", "tier 1: local hub");
        b.DataPath(container, new DataEndpoint(other, "docker:container", other == Machines.MainPc ? "centralhub" : "edgehub"), "tier", "tier 2: remote hub");
        b.DataPath(container, b.Here(tierContainers[1]), "tier", "tier 3: pushgateway");
        b.DataPath(container, b.Here(data), "tier", "tier 4: file buffer");
        b.DataPath(container, b.Here(tierContainers[2]), "decisions", "decisions");
        b.Output("runtimeStatusUrl", $"{Url(s)}/status");
        return container;
    }

    /// <summary>Where agents of a machine push (the Pushgateway API's base): add the job and labels.</summary>
    public static string IngestUrl(StackSettings s, string? machine = null) => $"{Url(s, machine)}/metrics/job/";

    public static string Url(StackSettings s, string? machine = null) =>
        $"{ListenerTls.Scheme(s)}://{s.Machines[machine ?? s.Machine].Address}:{s.Runtime.Port}";

    /// <summary>
    /// The config's change hash (plain state, a container label): the runtime's HTTP password is replaced by its bcrypt
    /// hash, as NATS passwords are by their ciphertext, so the label lets no one test guesses; a renewed certificate
    /// restarts the runtime too (it reads its material once).
    /// </summary>
    private static string RestartHash(StackSettings s, string config)
    {
        // NatsNode's hash masks every user's password, the runtime's own HTTP client credential included.
        if (s.Security is null) return NatsNode.RestartHash(s, config);
        return StackBuilder.Hash([NatsNode.RestartHash(s, config), ListenerTls.MaterialHash(s)]);
    }

    /// <summary>The runtime's file buffer: kept in Phase 1, when the runtime is not deployed.</summary>
    public static Resource DeclareData(StackBuilder b) => b.Add("runtime-data", new VolumeInputs { Name = b.ContainerName("runtime-data") });

    /// <summary>The runtime's image (kept in Phase 1 too, so that week 1 starts it again without a build).</summary>
    public static Resource DeclareImage(StackBuilder b, StackImages images, string? sourceHash)
    {
        var s = b.Settings;
        var local = images.Local;
        if (!local) return b.Add("runtime", StackImages.Registry(s.Runtime.Image));
        if (sourceHash is null) throw new InvalidOperationException("a local runtime image needs the hash of the runtime's sources");
        return PublishedImage.Declare(b, "runtime", s.Runtime.Project, Binary, ImageVersion, sourceHash, ["/data", "/etc/resilience"]);
    }
}
