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
    string NatsUser,
    string? NatsPassword)
{
    /// <summary>With the stacks' security material: the hubs serve TLS and ask for a user; the gates ask as the operator,
    /// trusting only the pair's CA. Null: the hubs are plain HTTP, as before.</summary>
    public HubAccess? HubAccess { get; init; }

    public static GateTargets From(StackSettings s)
    {
        var endpoints = new Endpoints(s);
        return new GateTargets(
            new Dictionary<string, string> { ["centralhub"] = endpoints.CentralHub, ["edgehub"] = endpoints.EdgeHub },
            Machines.All.ToDictionary(m => m, endpoints.NatsMonitor),
            Machines.All.ToDictionary(m => m, endpoints.Nats),
            Machines.All.ToDictionary(m => m, m => $"http://{s.Machines[m].Address}:{s.Runtime.Port}"),
            Machines.All.ToDictionary(m => m, m => s.Machines[m].Address),
            s.NatsUser,
            s.NatsPassword)
        {
            HubAccess = s.Security is { } security ? HubAccess.For(security) : null,
        };
    }
}
