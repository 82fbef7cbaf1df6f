using Resilience.Contracts.Docker;
using Resilience.Model;
using Resilience.Stack.Components;
using Resilience.Stack.Config;
using Resilience.Stack.Inventory;
using Resilience.Stack.Rendering;

namespace Resilience.Stack;

/// <summary>
/// Config + inventory + templates → the desired resource graph of one stack. Reads its inputs and nothing else:
/// no Docker, no network, no writes. Every mistake in the inputs is a <see cref="ConfigException"/>.
/// </summary>
public static class StackProgram
{
    /// <param name="week">Overrides the stack's rollout week (render --week).</param>
    public static ResourceGraph Run(StackConfig config, string projectDir, int? week = null, Func<ConfigValue, string>? decrypt = null)
    {
        var settings = StackSettings.Read(new TypedConfig(config, decrypt ?? ConfigSecrets.Decrypter(config)));
        if (week is { } w)
        {
            if (w is < 0 or > 4) throw new ConfigException("--week", w.ToString(), "the rollout week is 0-4 (0: Phase 1, before the rollout)");
            settings = settings with { Week = w };
        }
        var inventory = AgentInventory.Load(Path.Combine(projectDir, settings.Inventory));
        PortClaims.Check(config, settings, inventory);
        var templates = new TemplateRenderer(Path.Combine(projectDir, "templates"));
        string? runtimeSources = null, fleetSources = null;
        if (settings.Images.Source == "local" && !settings.IsWitness)
        {
            runtimeSources = SourcesOf(config, projectDir, "runtimeProject", settings.Runtime.Project, "runtime");
            if (settings.DemoFleet.Enabled)
                fleetSources = SourcesOf(config, projectDir, "demoFleetProject", settings.DemoFleet.Project, "demo fleet");
        }
        return SecurityOutputs.Add(Build(settings, inventory, templates, projectDir, runtimeSources, fleetSources), settings);
    }

    private static string SourcesOf(StackConfig config, string projectDir, string key, string project, string what)
    {
        var folder = Path.GetFullPath(Path.Combine(projectDir, project));
        if (!Directory.Exists(folder))
            throw TypedConfig.Error(config.Find(key)!, $"the {what} project folder {folder} does not exist");
        return RuntimeSources.Hash(folder);
    }

    /// <param name="runtimeSources">Hash of the runtime's sources, for a local runtime image (imageSource local).</param>
    /// <param name="fleetSources">Hash of the demo fleet's sources, for a local fleet image (imageSource local, demoFleet on).</param>
    public static ResourceGraph Build(StackSettings settings, AgentInventory inventory, TemplateRenderer templates, string projectDir,
        string? runtimeSources = null, string? fleetSources = null)
    {
        var b = new StackBuilder(settings, projectDir);
        if (settings.IsWitness) return Witness(b, templates);
        var images = StackImages.Declare(b);
        var network = Network(b);
        if (settings.Week == 0) return Phase1(b, templates, inventory, images, network, runtimeSources, fleetSources);

        var (pushgateway, pushgatewayTarget) = Pushgateway.Declare(b, images, network);
        var migrated = AgentFleet.Migrated(settings, inventory);
        // CentralHub scrapes MainPC's agents from the start (their Phase-1 path); EdgeHub scrapes a PC2 agent once it is migrated.
        var scraped = settings.IsCentral ? inventory.On(settings.Machine).ToList() : migrated;
        var dashboard = Dashboard.Declare(b, templates, ObservabilityHub.Component(settings), migrated.Count);
        var hub = ObservabilityHub.Declare(b, templates, images, network, pushgateway, pushgatewayTarget, scraped, dashboard);
        Components.Alertmanager.Declare(b, templates, images, network);
        var nats = NatsNode.Declare(b, templates, images.Nats, network);
        JetStreamTopology.Declare(b, nats);
        var runtime = FailoverRuntime.Declare(b, templates, images, network, inventory.On(settings.Machine).ToList(), runtimeSources, [hub, pushgateway, nats]);
        var agentFiles = AgentFleet.Declare(b, templates, migrated, [hub, pushgateway, nats, runtime]);
        var fleet = Components.DemoFleet.Declare(b, images, network, inventory.On(settings.Machine).ToList(), fleetSources, [.. agentFiles.Select(f => f.File), runtime]);
        AgentRestart.Declare(b, agentFiles, fleet);
        b.Output("machine", settings.Machine);
        b.Output("rolloutWeek", settings.Week.ToString());
        b.Output("migratedAgents", migrated.Count.ToString());
        return b.Build();
    }

    /// <summary>
    /// Week 0, the Phase 1 configuration: every agent on CentralHub only. MainPC keeps CentralHub (scraping its agents,
    /// as from week 1) and its Pushgateway (where every agent pushes); EdgeHub, PC2's Pushgateway, NATS with its streams
    /// and the runtimes are not deployed. Their data volumes (streams are retained in NATS's) and images stay, so week 1
    /// finds their data again and starts them without a build.
    /// </summary>
    private static ResourceGraph Phase1(StackBuilder b, TemplateRenderer templates, AgentInventory inventory, StackImages images,
        Resource? network, string? runtimeSources, string? fleetSources)
    {
        var s = b.Settings;
        var agents = inventory.On(s.Machine).ToList();
        var running = new List<Resource>();
        if (s.IsCentral)
        {
            var (pushgateway, pushgatewayTarget) = Pushgateway.Declare(b, images, network);
            running.Add(pushgateway);
            running.Add(ObservabilityHub.Declare(b, templates, images, network, pushgateway, pushgatewayTarget, agents,
                Dashboard.Declare(b, templates, ObservabilityHub.Component(s), 0)));
        }
        else
        {
            Pushgateway.DeclareData(b);
            ObservabilityHub.DeclareData(b);
        }
        Components.Alertmanager.DeclareData(b);
        NatsNode.DeclareData(b);
        FailoverRuntime.DeclareData(b);
        FailoverRuntime.DeclareImage(b, images, runtimeSources);
        var agentFiles = Phase1AgentFiles.Declare(b, templates, agents, running);
        var fleet = Components.DemoFleet.Declare(b, images, network, agents, fleetSources, [.. agentFiles.Select(f => f.File)]);
        AgentRestart.Declare(b, agentFiles, fleet);
        b.Output("machine", s.Machine);
        b.Output("rolloutWeek", "0");
        b.Output("migratedAgents", "0");
        return b.Build();
    }

    /// <summary>The stack's own Docker network in bridge mode; none on the host network.</summary>
    private static Resource? Network(StackBuilder b) => b.Settings.HostNetwork
        ? null
        : b.Add("network", new NetworkInputs { Name = ContainerSpec.NetworkName(b), Driver = "bridge" });

    /// <summary>The third failure domain of the three-node topology: a nats-server and nothing else.</summary>
    private static ResourceGraph Witness(StackBuilder b, TemplateRenderer templates)
    {
        NatsNode.Declare(b, templates, StackImages.DeclareNats(b), Network(b));
        b.Output("machine", b.Settings.Machine);
        return b.Build();
    }
}
