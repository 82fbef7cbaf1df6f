using Resilience.Contracts.Docker;
using Resilience.Model;

namespace Resilience.Stack.Components;

/// <summary>
/// The machine's Pushgateway, persisting to a volume every interval. Its persistence is not crash-safe (a kill -9
/// loses the pushes since the last write), which is why agents also keep hubs as their first tiers.
/// </summary>
public static class Pushgateway
{
    /// <summary>The Pushgateway's persistence volume: kept in Phase 1 on PC2, where the Pushgateway is not deployed.</summary>
    public static Resource DeclareData(StackBuilder b) => b.Add("pushgateway-data", new VolumeInputs { Name = b.ContainerName("pushgateway-data") });

    /// <returns>The container and the scrape target the local hub uses for it.</returns>
    public static (Resource Container, string Target) Declare(StackBuilder b, StackImages images, Resource? network)
    {
        var s = b.Settings;
        var endpoints = new Endpoints(s);
        var spec = new ContainerSpec(b, "pushgateway", StackImages.NameOf(images.Pushgateway));
        var data = DeclareData(b);
        var web = WebListener.Declare(b, "pushgateway", "/etc/pushgateway", "pushgateway", WebListener.Nobody);
        spec.Args(
                $"--web.listen-address={spec.Listen(s.PushgatewayPort, 9091)}",
                "--persistence.file=/data/pushgateway.store",
                $"--persistence.interval={s.PushgatewayPersistenceInterval}")
            .Port(s.PushgatewayPort, 9091)
            .Volume(b.ContainerName("pushgateway-data"), "/data")
            .User("65534:65534")
            .Ready($"{endpoints.Pushgateway(s.Machine)}/-/ready", web?.ProbeAuth);
        if (web is not null) spec.Args(web.WebConfigArgument).BindDir(Path.Combine(b.HostDir, "pushgateway"), web.ContainerDir);
        var dependsOn = new List<Resource> { images.Pushgateway, data };
        if (web is not null) dependsOn.AddRange(web.Files);
        if (network is not null) dependsOn.Add(network);
        var container = b.Add("pushgateway", spec.Build(), dependsOn, new ResourceOptions { DeleteBeforeReplace = true });
        b.Output("pushgatewayUrl", endpoints.Pushgateway(s.Machine));
        return (container, spec.LocalTarget(s.PushgatewayPort, 9091));
    }
}
