using Resilience.Contracts.Files;
using Resilience.Model;
using Resilience.Stack.Config;
using Resilience.Stack.Inventory;
using Resilience.Stack.Rendering;

namespace Resilience.Stack.Components;

/// <summary>
/// Week 0, Phase 1: the configuration the rollout starts from and the level-3 rollback returns to. Every agent of the
/// machine gets a file naming CentralHub only, pushing to MainPC's Pushgateway (which CentralHub scrapes), so the
/// agents reach CentralHub without EdgeHub, a runtime or NATS.
/// </summary>
public static class Phase1AgentFiles
{
    public const string Template = "agent-phase1.yaml.sbn";

    public static IReadOnlyList<AgentFile> Declare(StackBuilder b, TemplateRenderer templates, IReadOnlyList<Agent> agents, IEnumerable<Resource> dependsOn)
    {
        var s = b.Settings;
        var endpoints = new Endpoints(s);
        var after = dependsOn.ToList();
        if (agents.Count > 0 && AgentPushAuth.DeclareCa(b) is { } ca) after.Add(ca);
        var files = new List<AgentFile>();
        foreach (var agent in agents)
        {
            var address = s.Machines[agent.Machine].Address;
            // The grouping label keeps the machine on the series, as the runtime stamps it from week 1.
            var pushUrl = $"{endpoints.Pushgateway(Machines.MainPc)}/metrics/job/{Uri.EscapeDataString(agent.Name)}/machine/{agent.Machine}";
            var pushAuth = AgentPushAuth.For(b, pushUrl);
            var content = templates.Render(Template, new
            {
                Agent = agent.Name,
                agent.Machine,
                Stack = s.Stack,
                agent.Critical,
                HealthEndpoint = $"http://{address}:{agent.Port}{agent.HealthPath}",
                MetricsEndpoint = $"http://{address}:{agent.Port}{agent.MetricsPath}",
                PushUrl = pushUrl,
                PushAuth = pushAuth,
                CentralHub = endpoints.CentralHub,
                Pushgateway = endpoints.Pushgateway(Machines.MainPc),
            });
            var file = b.AddFile($"agents/{agent.ConfigFileName}", content, secret: pushAuth is not null, dependsOn: after,
                validator: FileValidators.Yaml, template: templates.PathOf(Template), takeover: FileTakeover.Restore,
                owner: pushAuth is null ? null : AgentPushAuth.Owner(s));
            files.Add(new AgentFile(agent, file, content));
        }
        return files;
    }
}
