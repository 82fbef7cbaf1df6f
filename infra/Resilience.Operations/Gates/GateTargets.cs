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
    /// <summary>The pair's CA and the operator's credential (issue 16): HTTPS probes trust only the CA and present the
    /// operator. Null: plain HTTP, as before.</summary>
    public SecuritySettings? Security { get; init; }

    /// <summary>The scheme of the agents' /health (https when the demo fleet serves them with the material).</summary>
    public string AgentScheme { get; init; } = "http";

    public static GateTargets From(StackSettings s)
    {
        var endpoints = new Endpoints(s);
        return new GateTargets(
            new Dictionary<string, string> { ["centralhub"] = endpoints.CentralHub, ["edgehub"] = endpoints.EdgeHub },
            Machines.All.ToDictionary(m => m, endpoints.NatsMonitor),
            Machines.All.ToDictionary(m => m, endpoints.Nats),
            Machines.All.ToDictionary(m => m, m => FailoverRuntime.Url(s, m)),
            Machines.All.ToDictionary(m => m, m => s.Machines[m].Address),
            NatsLogin.From(s))
        {
            Security = s.Security,
            AgentScheme = ListenerTls.AgentScheme(s),
        };
    }
}
