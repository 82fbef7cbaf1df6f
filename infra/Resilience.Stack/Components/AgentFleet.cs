using Resilience.Contracts.Files;
using Resilience.Model;
using Resilience.Stack.Config;
using Resilience.Stack.Inventory;
using Resilience.Stack.Rendering;

namespace Resilience.Stack.Components;

/// <summary>
/// One config file per migrated agent, following the weekly rollout: PC2 pilots in week 1, PC2 batches in week 2,
/// everything on PC2 plus MainPC's tiered failover configs from week 3. Week 4 adds nothing.
/// </summary>
public static class AgentFleet
{
    /// <summary>The agents of this stack's machine that the given week has migrated.</summary>
    public static IReadOnlyList<Agent> Migrated(StackSettings s, AgentInventory inventory) =>
        inventory.On(s.Machine).Where(a => IsMigrated(a.Wave, s.Week, s.MigrationBatches)).ToList();

    public static bool IsMigrated(Wave wave, int week, int batches) => wave switch
    {
        Wave.Pilot => true,
        Wave.Batch1 => week >= 3 || (week == 2 && batches >= 1),
        Wave.Batch2 => week >= 3 || (week == 2 && batches >= 2),
        Wave.Batch3 => week >= 3 || (week == 2 && batches >= 3),
        Wave.Week3 => week >= 3,
        _ => false,
    };

    /// <returns>The agent files, one per migrated agent.</returns>
    public static IReadOnlyList<AgentFile> Declare(StackBuilder b, TemplateRenderer templates, IReadOnlyList<Agent> migrated, IEnumerable<Resource> dependsOn)
    {
        var files = new List<AgentFile>();
        var s = b.Settings;
        var endpoints = new Endpoints(s);
        var after = dependsOn.ToList();
        if (migrated.Count > 0 && AgentPushAuth.DeclareCa(b) is { } ca) after.Add(ca);
        foreach (var agent in migrated)
        {
            var onPc2 = agent.Machine == Machines.Pc2;
            var pushUrl = FailoverRuntime.IngestUrl(s, agent.Machine) + Uri.EscapeDataString(agent.Name);
            var pushAuth = AgentPushAuth.For(b, pushUrl);
            var model = new
            {
                Agent = agent.Name,
                agent.Machine,
                Stack = s.Stack,
                Week = s.Week,
                Wave = AgentInventory.WaveName(agent.Wave),
                agent.Critical,
                Tiered = !onPc2,
                Primary = onPc2 ? endpoints.EdgeHub : endpoints.CentralHub,
                Fallback = onPc2 ? endpoints.CentralHub : endpoints.EdgeHub,
                Pushgateway = endpoints.Pushgateway(agent.Machine),
                PushToBoth = !onPc2 && agent.Critical,
                HealthEndpoint = $"{ListenerTls.AgentScheme(s)}://{s.Machines[agent.Machine].Address}:{agent.Port}{agent.HealthPath}",
                MetricsEndpoint = $"{ListenerTls.AgentScheme(s)}://{s.Machines[agent.Machine].Address}:{agent.Port}{agent.MetricsPath}",
                s.Failover,
                // The primary push target: the machine's failover runtime (Pushgateway API), which picks the tier.
                RuntimePushUrl = pushUrl,
                PushAuth = pushAuth,
                RuntimeStatusUrl = $"{FailoverRuntime.Url(s, agent.Machine)}/status",
                RuntimeDecisionKey = $"{RuntimeConfigModel.KvBucket}/{agent.Machine}",
                NatsUrl = endpoints.Nats(agent.Machine),
                HealthSubject = $"observability.health.{agent.Machine}",
                MetricsSubject = $"observability.metrics.{agent.Machine}",
            };
            var content = templates.Render("agent.yaml.sbn", model);
            var file = b.AddFile($"agents/{agent.ConfigFileName}", content, secret: pushAuth is not null, dependsOn: after,
                validator: FileValidators.Yaml, template: templates.PathOf("agent.yaml.sbn"), takeover: FileTakeover.Keep,
                owner: pushAuth is null ? null : AgentPushAuth.Owner(s));
            files.Add(new AgentFile(agent, file, content));
        }
        return files;
    }
}

/// <summary>A migrated agent's rendered config file: the resource and what it writes.</summary>
public sealed record AgentFile(Agent Agent, Resource File, string Content);
