using Resilience.Stack.Config;

namespace Resilience.Stack.Components;

/// <summary>Where each service of each machine is reached from the other machine and from agents.</summary>
public sealed class Endpoints(StackSettings s)
{
    /// <summary>The Prometheus family's scheme: https once the stack has security material (<see cref="WebListener"/>).</summary>
    public string WebScheme => s.Security is null ? "http" : "https";
    public string CentralHub => $"{WebScheme}://{s.MainPc.Address}:{s.CentralHubPort}";
    public string EdgeHub => $"{WebScheme}://{s.Pc2.Address}:{s.EdgeHubPort}";
    public string Hub(string machine) => machine == Machines.MainPc ? CentralHub : EdgeHub;
    public string Pushgateway(string machine) => $"{WebScheme}://{s.Machines[machine].Address}:{s.PushgatewayPort}";
    public string Nats(string machine) => $"nats://{s.Machines[machine].Address}:{s.Machines[machine].NatsPort}";
    public string NatsMonitor(string machine) => $"http://{s.Machines[machine].Address}:{s.Machines[machine].NatsMonitorPort}";
    public string LeafUrl => $"nats-leaf://{s.MainPc.Address}:{s.NatsLeafPort}";
    public string RemoteWrite => $"{CentralHub}/api/v1/write";
    public int HubPort(string machine) => machine == Machines.MainPc ? s.CentralHubPort : s.EdgeHubPort;
}
