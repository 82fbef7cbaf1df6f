using YamlDotNet.RepresentationModel;

namespace Resilience.Stack.Review;

/// <summary>One target of a Prometheus config's static_configs: its job, address and the agent label when it has one.</summary>
public sealed record ScrapeTarget(string Job, string Address, string? Agent)
{
    public override string ToString() => Agent ?? $"{Job} {Address}";
}

/// <summary>Reads the scrape targets of a Prometheus config as the hub templates render it.</summary>
public static class ScrapeTargets
{
    /// <summary>The targets, or null when the text is not a Prometheus config this can read.</summary>
    public static IReadOnlySet<ScrapeTarget>? Read(string? config)
    {
        if (config is null) return null;
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(config));
        }
        catch (YamlDotNet.Core.YamlException)
        {
            return null;
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root) return null;
        var targets = new HashSet<ScrapeTarget>();
        if (Child(root, "scrape_configs") is not YamlSequenceNode jobs) return targets;
        foreach (var job in jobs.OfType<YamlMappingNode>())
        {
            var name = (Child(job, "job_name") as YamlScalarNode)?.Value ?? "";
            if (Child(job, "static_configs") is not YamlSequenceNode statics) continue;
            foreach (var group in statics.OfType<YamlMappingNode>())
            {
                var agent = (Child(group, "labels") is YamlMappingNode labels ? Child(labels, "agent") as YamlScalarNode : null)?.Value;
                if (Child(group, "targets") is not YamlSequenceNode addresses) continue;
                foreach (var address in addresses.OfType<YamlScalarNode>())
                    targets.Add(new ScrapeTarget(name, address.Value ?? "", agent));
            }
        }
        return targets;
    }

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;
}
