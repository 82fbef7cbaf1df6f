namespace Resilience.Stack.Config;

/// <summary>Refuses two services claiming one host port on one address (any machine, since all stacks share config).</summary>
public static class PortClaims
{
    public static void Check(StackConfig config, StackSettings s)
    {
        var claims = new List<(string Address, int Port, string Key, string Machine)>();
        void Claim(string machine, int port, string key) => claims.Add((s.Machines[machine].Address, port, key, machine));
        foreach (var (key, port) in new[] { ("centralHubPort", s.CentralHubPort), ("pushgatewayPort", s.PushgatewayPort),
                     ("mainpcNatsPort", s.MainPc.NatsPort), ("mainpcNatsMonitorPort", s.MainPc.NatsMonitorPort), ("runtimePort", s.Runtime.Port) })
        {
            Claim(Machines.MainPc, port, key);
        }
        if (!s.NatsCluster) Claim(Machines.MainPc, s.NatsLeafPort, "natsLeafPort");
        foreach (var (key, port) in new[] { ("edgeHubPort", s.EdgeHubPort), ("pushgatewayPort", s.PushgatewayPort),
                     ("pc2NatsPort", s.Pc2.NatsPort), ("pc2NatsMonitorPort", s.Pc2.NatsMonitorPort), ("runtimePort", s.Runtime.Port) })
        {
            Claim(Machines.Pc2, port, key);
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
    }
}
