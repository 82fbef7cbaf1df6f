using System.Text.Json;
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
            Auth = s.NatsPassword is not null,
            UserLiteral = JsonSerializer.Serialize(s.NatsUser),
            PasswordLiteral = JsonSerializer.Serialize(s.NatsPassword ?? ""),
            LeafUrlWithCredentials = s.NatsPassword is null ? endpoints.LeafUrl : WithCredentials(endpoints.LeafUrl, s.NatsUser, s.NatsPassword),
        };
        var config = templates.Render("nats-server.conf.sbn", model);
        // With credentials inside, the whole file is a secret: written 0600, never stored or shown in plain text.
        var configFile = b.AddFile("nats/nats.conf", config, secret: model.Auth);
        var data = b.Add("docker:volume", "nats-data", new() { ["name"] = b.ContainerName("nats-data") });
        spec.Args("-c", "/etc/nats/nats.conf")
            .Port(me.NatsPort, 4222)
            .Port(me.NatsMonitorPort, 8222)
            .BindDir(Path.Combine(b.HostDir, "nats"), "/etc/nats")
            .Volume(b.ContainerName("nats-data"), "/data")
            .Ready($"{endpoints.NatsMonitor(s.Machine)}/healthz")
            // A restart, not SIGHUP: nats-server 2.9 refuses to reload leafnode and some authorization changes and
            // keeps running the old config. JetStream data is on the volume; clients and the leaf reconnect in ~1 s.
            .ReloadByRestart(StackBuilder.Hash([config]));
        if (s.IsCentral) spec.Port(s.NatsLeafPort, 7422);
        var dependsOn = new List<Resource> { images.Nats, configFile, data };
        if (network is not null) dependsOn.Add(network);
        var container = b.Add("docker:container", "nats", spec.Build(), dependsOn, new ResourceOptions { DeleteBeforeReplace = true });
        b.Output("natsUrl", endpoints.Nats(s.Machine));
        if (s.NatsPassword is not null)
            b.Output("natsCredentialsUrl", WithCredentials(endpoints.Nats(s.Machine), s.NatsUser, s.NatsPassword), secret: true);
        b.Output("natsMonitorUrl", endpoints.NatsMonitor(s.Machine));
        return container;
    }

    private static string WithCredentials(string url, string user, string password)
    {
        var uri = new Uri(url);
        return $"{uri.Scheme}://{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(password)}@{uri.Host}:{uri.Port}";
    }
}
