using System.Text.Json.Nodes;

namespace Resilience.Engine.Planning;

/// <summary>How many steps of each kind.</summary>
public sealed class ChangeSummary
{
    private readonly Dictionary<StepKind, int> _counts = [];

    public ChangeSummary(IEnumerable<StepKind> kinds)
    {
        foreach (var kind in kinds) _counts[kind] = this[kind] + 1;
    }

    public int this[StepKind kind] => _counts.GetValueOrDefault(kind);

    public int Changes => _counts.Where(c => c.Key != StepKind.Same).Sum(c => c.Value);

    public JsonObject ToJson()
    {
        var json = new JsonObject();
        foreach (var kind in Enum.GetValues<StepKind>())
        {
            if (this[kind] > 0) json[kind.Name()] = this[kind];
        }
        return json;
    }

    public override string ToString() =>
        _counts.Count == 0 ? "no resources" : string.Join(", ", Enum.GetValues<StepKind>().Where(k => this[k] > 0).Select(k => $"{this[k]} to {k.Name()}"));
}
