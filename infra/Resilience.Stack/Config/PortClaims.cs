namespace Resilience.Stack.Config;

/// <summary>Refuses two services claiming one host port on one address (either machine, since both share config).</summary>
public static class PortClaims
{
    public static void Check(StackConfig config, StackSettings s)
    {
        var claims = new List<(string Machine, string Address, int Port, string Key)>
        {
            (Machines.MainPc, s.MainPc.Address, s.CentralHubPort, "centralHubPort"),
            (Machines.MainPc, s.MainPc.Address, s.PushgatewayPort, "pushgatewayPort"),
            (Machines.MainPc, s.MainPc.Address, s.MainPc.NatsPort, "mainpcNatsPort"),
            (Machines.MainPc, s.MainPc.Address, s.MainPc.NatsMonitorPort, "mainpcNatsMonitorPort"),
            (Machines.MainPc, s.MainPc.Address, s.NatsLeafPort, "natsLeafPort"),
            (Machines.MainPc, s.MainPc.Address, s.Runtime.Port, "runtimePort"),
            (Machines.Pc2, s.Pc2.Address, s.EdgeHubPort, "edgeHubPort"),
            (Machines.Pc2, s.Pc2.Address, s.PushgatewayPort, "pushgatewayPort"),
            (Machines.Pc2, s.Pc2.Address, s.Pc2.NatsPort, "pc2NatsPort"),
            (Machines.Pc2, s.Pc2.Address, s.Pc2.NatsMonitorPort, "pc2NatsMonitorPort"),
            (Machines.Pc2, s.Pc2.Address, s.Runtime.Port, "runtimePort"),
        };
        var seen = new Dictionary<(string, int), string>();
        foreach (var (machine, address, port, key) in claims)
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
