using NATS.Client.Core;
using Resilience.Stack.Config;

namespace Resilience.Operations.Status;

/// <summary>
/// Reads every machine's NATS server of a stack's topology. Leafnode topology: the leaf link (/leafz) and every
/// stream with its sources. Cluster topologies: each node's view of the JetStream meta group (/jsz) and each
/// stream's leader and replicas. A machine that does not answer is reported, never thrown.
/// </summary>
public sealed class TopologyProbe(StackSettings settings, TimeSpan timeout)
{
    public async Task<TopologyReport> ReadAsync(CancellationToken ct)
    {
        var names = settings.NatsCluster ? settings.ClusterMachines : Machines.All;
        using var monitor = new NatsMonitor(timeout);
        var streams = new StreamInventory(timeout, NatsLogin.From(settings));
        var machines = await Task.WhenAll(names.Select(m => ReadMachineAsync(settings.Machines[m], monitor, streams, ct)));
        return new TopologyReport(settings.Stack, settings.Machine, machines) { Topology = settings.NatsTopology };
    }

    private async Task<MachineStatus> ReadMachineAsync(MachineSettings machine, NatsMonitor monitor, StreamInventory inventory, CancellationToken ct)
    {
        var role = machine.Name switch
        {
            Machines.MainPc => "hub",
            Machines.Witness => "witness",
            _ => "edge",
        };
        var natsUrl = $"{(settings.Security is null ? "nats" : "tls")}://{machine.Address}:{machine.NatsPort}";
        var monitorUrl = $"http://{machine.Address}:{machine.NatsMonitorPort}";
        var leaf = settings.NatsCluster ? LeafStatus.NotApplicable : await monitor.LeafAsync(monitorUrl, ct);
        var cluster = settings.NatsCluster ? await monitor.ClusterAsync(monitorUrl, ct) : null;
        try
        {
            var streams = await inventory.ReadAsync(natsUrl, ct);
            return new MachineStatus(machine.Name, role, natsUrl, monitorUrl, null, leaf, streams) { Cluster = cluster };
        }
        catch (Exception e) when (e is NatsException or TimeoutException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return new MachineStatus(machine.Name, role, natsUrl, monitorUrl, e.Message, leaf, []) { Cluster = cluster };
        }
    }
}
