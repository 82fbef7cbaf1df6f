using System.Text.Json.Nodes;
using Resilience.Stack.Inventory;

namespace Resilience.Stack.Review;

/// <summary>
/// What a plan does, component by component, in the words a Prometheus or NATS person uses: scrape targets added
/// and removed (with the agents' waves), agent files, streams and their subjects. A reviewer reads this first.
/// </summary>
public static class ChangeReview
{
    /// <param name="resources">Every resource of the plan, unchanged ones too (they make a component "unchanged").</param>
    /// <param name="inventory">Names the waves of added or removed agent targets; optional.</param>
    public static IReadOnlyList<ComponentChange> Summarize(IEnumerable<ReviewedResource> resources, AgentInventory? inventory = null)
    {
        var byComponent = resources.GroupBy(r => Components.Of(r.Type, r.Name))
            .OrderBy(g => Array.IndexOf(Components.Order, g.Key) is var i and >= 0 ? i : Components.Order.Length)
            .ThenBy(g => g.Key, StringComparer.Ordinal);
        return byComponent.Select(g => new ComponentChange(g.Key, g.Key switch
        {
            Components.CentralHub or Components.EdgeHub => Hub(g.ToList(), inventory),
            Components.AgentFiles => AgentFiles(g.ToList()),
            Components.Streams or Components.Consumers => NatsObjects(g.ToList()),
            _ => Generic(g.ToList()),
        })).ToList();
    }

    /// <summary>A component that comes or goes whole is said in one word, not resource by resource.</summary>
    private static string? Whole(List<ReviewedResource> resources) =>
        resources.All(r => r.Change == "create") ? $"created ({Resources(resources.Count)})"
        : resources.All(r => r.Change == "delete") ? $"deleted ({Resources(resources.Count)}){(resources.Any(r => r.DeletesData) ? ", deletes its data" : "")}"
        : null;

    private static string Resources(int n) => n == 1 ? "1 resource" : $"{n} resources";

    private static List<string> Hub(List<ReviewedResource> resources, AgentInventory? inventory)
    {
        var words = new List<string>();
        var config = resources.FirstOrDefault(r => r.Type == "file:file" && r.Name.EndsWith("/prometheus.yml", StringComparison.Ordinal));
        if (config is { Changed: true })
        {
            var before = ScrapeTargets.Read(ReviewedResource.Text(config.Old, "content")) ?? new HashSet<ScrapeTarget>();
            var after = ScrapeTargets.Read(ReviewedResource.Text(config.New, "content"));
            if (after is null && config.New is not null)
            {
                words.Add("config changed (not readable as a Prometheus config)");
            }
            else
            {
                after ??= new HashSet<ScrapeTarget>();
                var added = after.Except(before).ToList();
                var removed = before.Except(after).ToList();
                if (added.Count > 0) words.Add($"+{Targets(added, inventory)}");
                if (removed.Count > 0) words.Add($"-{Targets(removed, inventory)}");
                if (added.Count == 0 && removed.Count == 0) words.Add("config changed, same scrape targets");
            }
        }
        if (Whole(resources) is { } whole)
        {
            words.Add(whole);
            return words;
        }
        foreach (var r in resources.Where(r => r.Changed && r != config))
            words.Add(r.Type == "file:file" && r.Name.Contains("/rules/", StringComparison.Ordinal) ? $"alert rules {Verb(r)}" : Resource(r));
        return words;
    }

    private static string Targets(List<ScrapeTarget> targets, AgentInventory? inventory)
    {
        var noun = targets.Count == 1 ? "scrape target" : "scrape targets";
        var agents = targets.Where(t => t.Agent is not null).Select(t => inventory?.Agents.FirstOrDefault(a => a.Name == t.Agent)).ToList();
        var others = targets.Where(t => t.Agent is null).Select(t => t.Job).Order(StringComparer.Ordinal).ToList();
        var parts = new List<string>();
        if (agents.Count > 0 && agents.Count <= 3) parts.Add(string.Join(", ", targets.Where(t => t.Agent is not null).Select(t => t.Agent).Order(StringComparer.Ordinal)));
        else if (agents.Count > 0 && agents.All(a => a is not null)) parts.Add(Waves(agents.Select(a => a!.Wave)));
        else if (agents.Count > 0) parts.Add($"{agents.Count} agents");
        if (others.Count > 0) parts.Add(string.Join(", ", others));
        return $"{targets.Count} {noun} ({string.Join("; ", parts)})";
    }

    /// <summary>"pilots, batch 1-3, week 3": consecutive batches joined into one range.</summary>
    public static string Waves(IEnumerable<Wave> waves)
    {
        var set = waves.Distinct().Order().ToList();
        var parts = new List<string>();
        if (set.Contains(Wave.Pilot)) parts.Add("pilots");
        var batches = set.Where(w => w is Wave.Batch1 or Wave.Batch2 or Wave.Batch3).Select(w => (int)w - (int)Wave.Batch1 + 1).ToList();
        for (var i = 0; i < batches.Count;)
        {
            var j = i;
            while (j + 1 < batches.Count && batches[j + 1] == batches[j] + 1) j++;
            parts.Add(i == j ? $"batch {batches[i]}" : $"batch {batches[i]}-{batches[j]}");
            i = j + 1;
        }
        if (set.Contains(Wave.Week3)) parts.Add("week 3");
        return string.Join(", ", parts);
    }

    private static List<string> AgentFiles(List<ReviewedResource> files)
    {
        var words = new List<string>();
        Count(files, "create", "+{0}", words);
        Count(files, "delete", "-{0}", words);
        Count(files, "update", "{0} changed", words);
        return words;
    }

    private static void Count(List<ReviewedResource> resources, string change, string format, List<string> words)
    {
        var n = resources.Count(r => r.Change == change);
        if (n > 0) words.Add(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, n));
    }

    /// <summary>Streams and consumers by name, with the subjects and sources that make a stream what it is.</summary>
    private static List<string> NatsObjects(List<ReviewedResource> resources)
    {
        var words = new List<string>();
        foreach (var r in resources.Where(r => r.Changed))
        {
            var loss = r.DeletesData ? " (deletes its messages)" : "";
            switch (r.Change)
            {
                case "create":
                    words.Add($"+{r.Name}{Describe(r.New)}");
                    break;
                case "delete":
                    words.Add($"-{r.Name}{loss}");
                    break;
                default:
                    var keys = ChangedKeys(r.Old, r.New);
                    var detail = keys.Select(k => k is "subjects" or "sources" or "filterSubject" ? $"{k} {Show(r.Old?[k])} -> {Show(r.New?[k])}" : k);
                    words.Add($"{r.Name} {Verb(r)}{loss}: {string.Join(", ", detail)}");
                    break;
            }
        }
        return words;
    }

    private static string Describe(JsonObject? inputs)
    {
        var parts = new List<string>();
        if (inputs?["subjects"] is JsonArray { Count: > 0 } subjects) parts.Add(Show(subjects));
        if (inputs?["filterSubject"] is JsonValue filter) parts.Add(Show(filter));
        if (inputs?["sources"] is JsonArray { Count: > 0 } sources) parts.Add("sources " + Show(sources));
        return parts.Count == 0 ? "" : $" ({string.Join("; ", parts)})";
    }

    /// <summary>A subject list or a source list in NATS words: "observability.metrics.*", "observability-metrics@pc2".</summary>
    private static string Show(JsonNode? node) => node switch
    {
        null => "none",
        JsonArray a when a.Count == 0 => "none",
        JsonArray a => string.Join(", ", a.Select(Show)),
        JsonObject o when o["name"] is not null => $"{o["name"]}{(o["domain"] is { } d ? $"@{d}" : "")}{(o["filterSubject"] is { } f ? $" ({f})" : "")}",
        JsonValue v => v.ToString(),
        _ => node.ToJsonString(),
    };

    private static List<string> ChangedKeys(JsonObject? old, JsonObject? @new) =>
        (old?.Select(p => p.Key) ?? []).Union(@new?.Select(p => p.Key) ?? [])
            .Where(k => !JsonNode.DeepEquals(old?[k], @new?[k])).Order(StringComparer.Ordinal).ToList();

    private static List<string> Generic(List<ReviewedResource> resources) =>
        Whole(resources) is { } whole ? [whole] : resources.Where(r => r.Changed).Select(Resource).ToList();

    private static string Resource(ReviewedResource r) =>
        $"{r.Name} {Kind(r.Type)}{Verb(r)}{(r.DeletesData ? " (deletes its data)" : "")}";

    private static string Kind(string type) => type switch
    {
        "docker:container" => "container ",
        "docker:volume" => "volume ",
        "docker:image" => "image ",
        _ => "",
    };

    private static string Verb(ReviewedResource r) => r.Change switch
    {
        "create" => "created",
        "delete" => "deleted",
        "update" => "changed",
        "reload" => "reloaded",
        "replace" => "replaced",
        _ => r.Change,
    };
}
