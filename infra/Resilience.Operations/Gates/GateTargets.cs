using Resilience.Stack.Components;
using Resilience.Stack.Config;

namespace Resilience.Operations.Gates;

/// <summary>Where a gate's probes ask, from the stack's config: the hubs, each machine's NATS monitor, NATS and runtime.</summary>
public sealed record GateTargets(
    IReadOnlyDictionary<string, string> Hubs,
    IReadOnlyDictionary<string, string> NatsMonitors,
    IReadOnlyDictionary<string, string> NatsUrls,
    IReadOnlyDictionary<string, string> Runtimes,
    IReadOnlyDictionary<string, string> Addresses,
    NatsLogin Nats)
{
    public static GateTargets From(StackSettings s)
    {
        var endpoints = new Endpoints(s);
        return new GateTargets(
            new Dictionary<string, string> { ["centralhub"] = endpoints.CentralHub, ["edgehub"] = endpoints.EdgeHub },
            Machines.All.ToDictionary(m => m, endpoints.NatsMonitor),
            Machines.All.ToDictionary(m => m, endpoints.Nats),
            Machines.All.ToDictionary(m => m, m => $"http://{s.Machines[m].Address}:{s.Runtime.Port}"),
            Machines.All.ToDictionary(m => m, m => s.Machines[m].Address),
            NatsLogin.From(s));
    }
}
