using Resilience.DemoFleet.Contracts;
using Resilience.Model;
using Resilience.Stack.Config;
using Resilience.Stack.Inventory;

namespace Resilience.Stack.Components;

/// <summary>
/// The demo fleet (fleet/) on this machine: one container serving every agent of the machine on its port, each
/// reading its agent file (a missing file: a Phase-1 agent, scraped only) and pushing to the file's push target.
/// Declared only when resilience:demoFleet is on: a production stack's agents are its own processes.
/// </summary>
public static class DemoFleet
{
    public const string Binary = "resilience-demo-fleet";
    public const string ImageVersion = "0.1.0";

    /// <summary>The pair's CA under the stack's host folder, with security material (<see cref="ListenerTls.DeclareFiles"/>).</summary>
    public const string CaFile = "fleet/tls/ca.crt";

    /// <summary>Where the container sees this stack's host folder (read-only); the agents' files are in agents/.</summary>
    private const string Mounted = "/etc/resilience";

    /// <param name="agents">Every agent of this machine, migrated or not.</param>
    /// <param name="sourceHash">Hash of the fleet's sources (<see cref="RuntimeSources"/>); only for a local image.</param>
    /// <param name="after">The agent files and the runtime they push to: the fleet starts once they exist.</param>
    public static Resource? Declare(StackBuilder b, StackImages images, Resource? network, IReadOnlyList<Agent> agents,
        string? sourceHash, IReadOnlyList<Resource> after)
    {
        var s = b.Settings;
        if (!s.DemoFleet.Enabled) return null;
        var image = Image(b, images.Local, sourceHash);
        var spec = new ContainerSpec(b, "demo-fleet", StackImages.NameOf(image));
        var config = FleetConfigYaml.Write(For(b, agents));
        // With security material the config names users (bcrypt hashes only): 0600, handed to the fleet's user, as are
        // its key and certificate.
        var owner = s.Security is null ? null : ListenerTls.FleetOwner;
        var configFile = ListenerTls.AddFile(b, "fleet/fleet.yaml", config, secret: false, owner, mode: owner is null ? null : "0600");
        var tlsFiles = s.Security is { } security ? ListenerTls.DeclareFiles(b, security, "fleet", owner) : [];

        spec.Args("--config", $"{Mounted}/fleet/fleet.yaml")
            .Port(s.DemoFleet.ControlPort, s.DemoFleet.ControlPort)
            // The stack's folder, not agents/: the agents folder is absent until an agent is migrated (MainPC before
            // week 3) and a folder made after the container started would not be seen through a mount of it.
            .BindDir(b.HostDir, Mounted)
            // Not root: the fleet reads only the 0644 agent files and its config, never a 0600 secret beside them (with
            // security material: its own key and the agent files, handed to this user).
            .User(ListenerTls.FleetOwner)
            .Ready($"{ControlUrl(b)}/healthz", ListenerTls.ProbeAuth(b, "fleet"))
            // The fleet reads its config once at start; agents re-read their files when restarted (control API).
            .ReloadByRestart(s.Security is null ? StackBuilder.Hash([config]) : StackBuilder.Hash([config, ListenerTls.MaterialHash(s)]));
        // Agent files name their CA by its host path (real agents read them on the host): the same path inside.
        if (s.Security is not null) spec.BindDir(b.HostDir, b.HostDir);
        foreach (var agent in agents) spec.Port(agent.Port, agent.Port);
        var dependsOn = new List<Resource> { image, configFile };
        dependsOn.AddRange(tlsFiles);
        dependsOn.AddRange(after);
        if (network is not null) dependsOn.Add(network);
        var container = b.Add("demo-fleet", spec.Build(), dependsOn, new ResourceOptions { DeleteBeforeReplace = true });
        b.Output("demoFleetControlUrl", ControlUrl(b));
        return container;
    }

    /// <summary>The fleet's config: every agent of the machine, each with its agent file as the container sees it.</summary>
    public static FleetConfig For(StackBuilder b, IReadOnlyList<Agent> agents)
    {
        var s = b.Settings;
        // In bridge mode the fleet listens inside its container and Docker publishes the ports on the machine address.
        var address = s.HostNetwork ? s.This.Address : "0.0.0.0";
        return new FleetConfig(address, s.DemoFleet.ControlPort, s.DemoFleet.PushPeriod, agents
            .Select(a => new FleetAgent(a.Name, a.Port, $"{Mounted}/agents/{a.ConfigFileName}", a.HealthPath, a.MetricsPath))
            .ToList())
        {
            Https = s.Security is { } security ? Https(security) : null,
        };
    }

    /// <summary>Every HTTP role's accepted users (the next or retiring generation too during a rotation), by bcrypt hash:
    /// the fleet decides which role may call what (fleet/README.md).</summary>
    private static FleetHttps Https(SecuritySettings security) => new($"{Mounted}/fleet/tls/machine.crt", $"{Mounted}/fleet/tls/machine.key",
        [.. new[] { SecurityRoles.Operator, SecurityRoles.Hub, SecurityRoles.Pusher }.SelectMany(role =>
            security.Accepted(role).Select(user => new FleetUser(user.User, role, user.PasswordHash)))]);

    public static string ControlUrl(StackBuilder b) => ControlUrl(b.Settings);

    public static string ControlUrl(StackSettings s) => $"{ListenerTls.AgentScheme(s)}://{s.This.Address}:{s.DemoFleet.ControlPort}";

    private static Resource Image(StackBuilder b, bool local, string? sourceHash)
    {
        var s = b.Settings;
        if (!local) return b.Add("demo-fleet", StackImages.Registry(s.DemoFleet.Image));
        if (sourceHash is null) throw new InvalidOperationException("a local demo fleet image needs the hash of the fleet's sources");
        return PublishedImage.Declare(b, "demo-fleet", s.DemoFleet.Project, Binary, ImageVersion, sourceHash, [Mounted]);
    }
}
