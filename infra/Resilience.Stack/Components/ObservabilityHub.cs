using Resilience.Contracts.Docker;
using Resilience.Contracts.Files;
using Resilience.Model;
using Resilience.Stack.Config;
using Resilience.Stack.Inventory;
using Resilience.Stack.Rendering;

namespace Resilience.Stack.Components;

/// <summary>
/// The machine's Prometheus: CentralHub on MainPC (long retention, receives EdgeHub's remote write) or EdgeHub
/// on PC2 (short retention, remote-writes everything to CentralHub). Every series reaches CentralHub by one path.
/// </summary>
public static class ObservabilityHub
{
    /// <summary>The hub's name on this machine, also the host folder mounted as its /etc/prometheus.</summary>
    public static string Component(StackSettings s) => s.IsCentral ? "centralhub" : "edgehub";

    /// <summary>The hub's TSDB volume: kept in Phase 1 on PC2, where EdgeHub is not deployed.</summary>
    public static Resource DeclareData(StackBuilder b)
    {
        var component = Component(b.Settings);
        return b.Add($"{component}-data", new VolumeInputs { Name = b.ContainerName($"{component}-data") });
    }

    public static Resource Declare(StackBuilder b, TemplateRenderer templates, StackImages images, Resource? network,
        Resource pushgatewayContainer, string pushgatewayTarget, IReadOnlyList<Agent> scrapedAgents, DashboardFiles dashboard)
    {
        var s = b.Settings;
        var endpoints = new Endpoints(s);
        var central = s.IsCentral;
        var component = Component(s);
        var hostPort = central ? s.CentralHubPort : s.EdgeHubPort;
        var spec = new ContainerSpec(b, component, StackImages.NameOf(images.Prometheus));
        var listen = spec.Listen(hostPort, s.HubContainerPort);
        var self = spec.LocalTarget(hostPort, s.HubContainerPort);
        var peer = Machines.Other(s.Machine);
        var web = WebListener.Declare(b, component, "/etc/prometheus", "hub", WebListener.Nobody);
        var client = web?.HubClient(b, component, WebListener.Nobody);

        var model = new
        {
            Machine = s.Machine,
            Central = central,
            ScrapeInterval = central ? s.CentralScrapeInterval : s.EdgeScrapeInterval,
            Retention = central ? s.CentralRetention : s.EdgeRetention,
            Job = component,
            SelfTarget = self,
            PushgatewayTarget = pushgatewayTarget,
            PeerHubTarget = $"{s.Machines[peer].Address}:{endpoints.HubPort(peer)}",
            PeerMachine = peer,
            // The dashboard reads the other machine's Pushgateway first-hand (both runtimes: the alerting jobs).
            PeerPushgatewayTarget = $"{s.Machines[peer].Address}:{s.PushgatewayPort}",
            RemoteWriteUrl = endpoints.RemoteWrite,
            RemoteWriteSenders = client?.Model.RemoteWriteSenders ?? [new RemoteWriteSender("centralhub", "", "")],
            RemoteWrite = s.RemoteWrite,
            Alerting = Alertmanager.HubModel(b),
            // With security: every listener this hub calls (hubs, Pushgateways, Alertmanagers, runtimes) over TLS as the hub role.
            Tls = client?.Model,
            // The demo fleet's agents serve TLS with the stack's material; a production machine's own agents are scraped as they are.
            AgentsTls = client is not null && s.DemoFleet.Enabled ? client.Model : null,
            Agents = scrapedAgents.Select(a => new
            {
                a.Name,
                Target = $"{s.Machines[a.Machine].Address}:{a.Port}",
                a.MetricsPath,
                a.Critical,
            }).ToList(),
        };
        var configTemplate = central ? "prometheus-central.yml.sbn" : "prometheus-edge.yml.sbn";
        var config = templates.Render(configTemplate, model);
        var rules = templates.Render("alerts.rules.yml.sbn", model);
        var configFile = b.AddFile($"{component}/prometheus.yml", config,
            validator: FileValidators.PrometheusConfig, template: templates.PathOf(configTemplate));
        var rulesFile = b.AddFile($"{component}/rules/alerts.rules.yml", rules,
            validator: FileValidators.PrometheusRules, template: templates.PathOf("alerts.rules.yml.sbn"));
        var data = DeclareData(b);

        spec.Args(
                "--config.file=/etc/prometheus/prometheus.yml",
                "--storage.tsdb.path=/prometheus",
                $"--storage.tsdb.retention.time={model.Retention}",
                $"--web.listen-address={listen}",
                "--web.enable-lifecycle",
                "--web.enable-remote-write-receiver",
                $"--web.console.templates={Dashboard.ConsolesPath}",
                $"--web.console.libraries={Dashboard.LibrariesPath}")
            .Port(hostPort, s.HubContainerPort)
            .BindDir(Path.Combine(b.HostDir, component), "/etc/prometheus")
            .Volume(b.ContainerName($"{component}-data"), "/prometheus")
            .User("65534:65534")
            .Ready($"{endpoints.Hub(s.Machine)}/-/ready", web?.ProbeAuth)
            .ReloadByHttp($"{endpoints.Hub(s.Machine)}/-/reload", StackBuilder.Hash([config, rules, dashboard.RulesContent]), web?.ProbeAuth, configFile, rulesFile, dashboard.Rules);
        if (images.Local) spec.Args("--web.local-assets=/usr/share/prometheus/web");
        if (web is not null) spec.Args(web.WebConfigArgument);

        var dependsOn = new List<Resource> { images.Prometheus, configFile, rulesFile, data, pushgatewayContainer };
        if (web is not null) dependsOn.AddRange([.. web.Files, .. client!.PasswordFiles]);
        dependsOn.AddRange(dashboard.All);
        if (network is not null) dependsOn.Add(network);
        var container = b.Add(component, spec.Build(), dependsOn, new ResourceOptions { DeleteBeforeReplace = true });
        b.Output(central ? "centralHubUrl" : "edgeHubUrl", endpoints.Hub(s.Machine));
        b.DataPath(b.Here(pushgatewayContainer), container, "scrape", "scrape");
        b.DataPath(new DataEndpoint(peer, "docker:container", central ? "edgehub" : "centralhub"), container, "scrape", "scrape peer-hub");
        if (!central) b.DataPath(container, new DataEndpoint(peer, "docker:container", "centralhub"), "remote-write", "remote write");
        return container;
    }
}
