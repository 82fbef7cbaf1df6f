using Resilience.Stack.Inventory;

namespace Resilience.Stack.Config;

/// <summary>
/// Refuses two listeners claiming one host port on one address (any machine, since all stacks share config):
/// the services' ports from the config, and the agents' endpoint ports from the inventory.
/// </summary>
public static class PortClaims
{
    public static void Check(StackConfig config, StackSettings s, AgentInventory inventory)
    {
        var services = ServiceClaims(config, s);
        var agents = new Dictionary<(string, int), Agent>();
        foreach (var agent in inventory.Agents)
        {
            var address = s.Machines[agent.Machine].Address;
            var where = $"line {agent.Line}: {agent.Name}.port";
            if (services.TryGetValue((address, agent.Port), out var service))
                throw new ConfigException(inventory.File, where, $"host port {agent.Port} on {address} is claimed twice: by this agent and by {service}");
            if (agents.TryGetValue((address, agent.Port), out var other))
                throw new ConfigException(inventory.File, where, $"host port {agent.Port} on {address} is claimed twice: by this agent and by {other.Name} (line {other.Line})");
            agents[(address, agent.Port)] = agent;
        }
    }

    /// <summary>Every service port of every machine, by address and port, named by its config key.</summary>
    private static Dictionary<(string, int), string> ServiceClaims(StackConfig config, StackSettings s)
    {
        var claims = new List<(string Address, int Port, string Key, string Machine)>();
        void Claim(string machine, int port, string key) => claims.Add((s.Machines[machine].Address, port, key, machine));
        foreach (var (key, port) in new[] { ("centralHubPort", s.CentralHubPort), ("pushgatewayPort", s.PushgatewayPort),
                     ("mainpcNatsPort", s.MainPc.NatsPort), ("mainpcNatsMonitorPort", s.MainPc.NatsMonitorPort), ("runtimePort", s.Runtime.Port) })
        {
            Claim(Machines.MainPc, port, key);
        }
        if (!s.NatsCluster) Claim(Machines.MainPc, s.NatsLeafPort, "natsLeafPort");
        if (s.DemoFleet.Enabled)
        {
            foreach (var machine in Machines.All) Claim(machine, s.DemoFleet.ControlPort, "demoFleetControlPort");
        }
        foreach (var (key, port) in new[] { ("edgeHubPort", s.EdgeHubPort), ("pushgatewayPort", s.PushgatewayPort),
                     ("pc2NatsPort", s.Pc2.NatsPort), ("pc2NatsMonitorPort", s.Pc2.NatsMonitorPort), ("runtimePort", s.Runtime.Port) })
        {
            Claim(Machines.Pc2, port, key);
        }
        foreach (var machine in Machines.All)
        {
            Claim(machine, s.Alerts.Port, "alertmanagerPort");
            Claim(machine, s.Alerts.ClusterPort, "alertmanagerClusterPort");
        }
        if (s.NatsTopology == NatsTopologies.ThreeNode)
        {
            Claim(Machines.Witness, s.Witness.NatsPort, "witnessNatsPort");
            Claim(Machines.Witness, s.Witness.NatsMonitorPort, "witnessNatsMonitorPort");
        }
        foreach (var machine in s.ClusterMachines) Claim(machine, s.NatsClusterPort, "natsClusterPort");
        var seen = new Dictionary<(string, int), string>();
        foreach (var (address, port, key, machine) in claims)
        {
            if (seen.TryGetValue((address, port), out var other))
            {
                var value = config.Find(key)!;
                throw TypedConfig.Error(value, $"host port {port} on {address} is claimed twice: {other} and {config.Project}:{key} ({machine})");
            }
            seen[(address, port)] = $"{config.Project}:{key} ({machine})";
        }
        return seen;
    }
}
