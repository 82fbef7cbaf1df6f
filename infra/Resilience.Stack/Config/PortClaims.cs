namespace Resilience.Stack.Config;

/// <summary>Refuses two services claiming one host port on one address (either machine, since both share config).</summary>
public static class PortClaims
{
    public static void Check(StackConfig config, StackSettings s)
    {
        var claims = new List<(string Address, int Port, string Key)>
        {
            (s.MainPc.Address, s.CentralHubPort, "centralHubPort"),
            (s.MainPc.Address, s.PushgatewayPort, "pushgatewayPort"),
            (s.MainPc.Address, s.MainPc.NatsPort, "mainpcNatsPort"),
            (s.MainPc.Address, s.MainPc.NatsMonitorPort, "mainpcNatsMonitorPort"),
            (s.MainPc.Address, s.NatsLeafPort, "natsLeafPort"),
            (s.Pc2.Address, s.EdgeHubPort, "edgeHubPort"),
            (s.Pc2.Address, s.PushgatewayPort, "pushgatewayPort"),
            (s.Pc2.Address, s.Pc2.NatsPort, "pc2NatsPort"),
            (s.Pc2.Address, s.Pc2.NatsMonitorPort, "pc2NatsMonitorPort"),
        };
        var seen = new Dictionary<(string, int), string>();
        for (var i = 0; i < claims.Count; i++)
        {
            var (address, port, key) = claims[i];
            var machine = i < 5 ? Machines.MainPc : Machines.Pc2;
            if (seen.TryGetValue((address, port), out var other))
            {
                var value = config.Find(key)!;
                throw TypedConfig.Error(value, $"host port {port} on {address} is claimed twice: {other} and {config.Project}:{key} ({machine})");
            }
            seen[(address, port)] = $"{config.Project}:{key} ({machine})";
        }
    }
}
