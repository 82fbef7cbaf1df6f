using Resilience.Model;
using Resilience.Stack.Config;
using Resilience.Stack.Rendering;

namespace Resilience.Stack.Components;

/// <summary>
/// The machine's nats-server: its own JetStream domain (named after the machine). MainPC accepts a leafnode
/// from PC2; the deny rules on the leaf keep observability subjects from crossing twice (they cross as sources).
/// The seeds' two-node cluster is not offered: it stops every R2 write when either node stops.
/// </summary>
public static class NatsNode
{
    public static Resource Declare(StackBuilder b, TemplateRenderer templates, StackImages images, Resource? network)
    {
        var s = b.Settings;
        var endpoints = new Endpoints(s);
        var me = s.This;
        var spec = new ContainerSpec(b, "nats", StackImages.NameOf(images.Nats));
        var model = new
        {
            ServerName = s.Machine,
            Domain = s.Machine,
            Hub = s.IsCentral,
            Listen = spec.Listen(me.NatsPort, 4222),
            MonitorListen = spec.Listen(me.NatsMonitorPort, 8222),
            LeafListen = spec.Listen(s.NatsLeafPort, 7422),
            LeafUrl = endpoints.LeafUrl,
            PingInterval = s.NatsPingInterval,
            PingMax = s.NatsPingMax,
        };
        var config = templates.Render("nats-server.conf.sbn", model);
        var configFile = b.AddFile("nats/nats.conf", config);
        var data = b.Add("docker:volume", "nats-data", new() { ["name"] = b.ContainerName("nats-data") });
        spec.Args("-c", "/etc/nats/nats.conf")
            .Port(me.NatsPort, 4222)
            .Port(me.NatsMonitorPort, 8222)
            .BindDir(Path.Combine(b.HostDir, "nats"), "/etc/nats")
            .Volume(b.ContainerName("nats-data"), "/data")
            .Ready($"{endpoints.NatsMonitor(s.Machine)}/healthz")
            .ReloadBySignal("SIGHUP", StackBuilder.Hash([config]));
        if (s.IsCentral) spec.Port(s.NatsLeafPort, 7422);
        var dependsOn = new List<Resource> { images.Nats, configFile, data };
        if (network is not null) dependsOn.Add(network);
        var container = b.Add("docker:container", "nats", spec.Build(), dependsOn, new ResourceOptions { DeleteBeforeReplace = true });
        b.Output("natsUrl", endpoints.Nats(s.Machine));
        b.Output("natsMonitorUrl", endpoints.NatsMonitor(s.Machine));
        return container;
    }
}
