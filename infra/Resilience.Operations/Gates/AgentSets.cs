using Resilience.Stack.Components;
using Resilience.Stack.Config;
using Resilience.Stack.Inventory;

namespace Resilience.Operations.Gates;

/// <summary>
/// The agent sets a gate names (in a query as <c>$pilots</c>, in <c>expect:</c>, in <c>agents:</c>), on the stack's
/// machine: pilots, batch1-3, week3 (by wave), migrated (what the stack's week and batches migrate), all, critical.
/// </summary>
public sealed class AgentSets
{
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal)
        { "pilots", "batch1", "batch2", "batch3", "week3", "migrated", "all", "critical" };

    private readonly Dictionary<string, IReadOnlyList<Agent>> _sets;

    public AgentSets(StackSettings settings, AgentInventory inventory)
    {
        var mine = inventory.On(settings.Machine).ToList();
        _sets = new Dictionary<string, IReadOnlyList<Agent>>(StringComparer.Ordinal)
        {
            ["pilots"] = mine.Where(a => a.Wave == Wave.Pilot).ToList(),
            ["batch1"] = mine.Where(a => a.Wave == Wave.Batch1).ToList(),
            ["batch2"] = mine.Where(a => a.Wave == Wave.Batch2).ToList(),
            ["batch3"] = mine.Where(a => a.Wave == Wave.Batch3).ToList(),
            ["week3"] = mine.Where(a => a.Wave == Wave.Week3).ToList(),
            ["migrated"] = AgentFleet.Migrated(settings, inventory),
            ["all"] = mine,
            ["critical"] = mine.Where(a => a.Critical).ToList(),
        };
    }

    public IReadOnlyList<Agent> this[string set] => _sets[set];

    /// <summary>A PromQL regex matching exactly the set's names (an empty set matches nothing, not everything).</summary>
    public string Regex(string set) => _sets[set].Count == 0 ? "^$" : string.Join("|", _sets[set].Select(a => System.Text.RegularExpressions.Regex.Escape(a.Name)));

    /// <summary>Replaces <c>$set</c> (longest names first, so $batch1 never half-matches) with the set's regex.</summary>
    public string Expand(string query)
    {
        foreach (var name in Names.OrderByDescending(n => n.Length))
            query = query.Replace("$" + name, Regex(name), StringComparison.Ordinal);
        return query;
    }
}
