using System.Text.Json.Nodes;
using Resilience.Engine.Planning;

namespace Resilience.Engine.Refresh;

public enum DriftStatus
{
    InSync,
    Changed,
    Gone,
}

/// <summary>How one recorded resource compares with the real world. Changes are masked.</summary>
public sealed record ResourceDrift(string Urn, string Type, DriftStatus Status, IReadOnlyList<PropertyChange> Changes)
{
    /// <summary>What the provider saw that explains the drift (<see cref="Providers.ReadResult.Detail"/>).</summary>
    public IReadOnlyList<string> Detail { get; init; } = [];

    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["urn"] = Urn,
            ["type"] = Type,
            ["status"] = Status switch { DriftStatus.InSync => "inSync", DriftStatus.Changed => "changed", _ => "gone" },
            ["changes"] = new JsonArray(Changes.Select(c => (JsonNode?)c.ToJson()).ToArray()),
        };
        if (Detail.Count > 0) json["detail"] = new JsonArray(Detail.Select(d => (JsonNode?)d).ToArray());
        return json;
    }
}

public sealed record RefreshResult(string Stack, IReadOnlyList<ResourceDrift> Resources, bool Written, IReadOnlyList<string> Notices)
{
    public IEnumerable<ResourceDrift> Drifted => Resources.Where(r => r.Status != DriftStatus.InSync);

    public JsonObject ToJson() => new()
    {
        ["stack"] = Stack,
        ["written"] = Written,
        ["notices"] = new JsonArray(Notices.Select(n => (JsonNode?)n).ToArray()),
        ["resources"] = new JsonArray(Resources.Select(r => (JsonNode?)r.ToJson()).ToArray()),
    };
}

public sealed record RefreshOptions
{
    /// <summary>Write what was read into the checkpoint (removing what is gone). Otherwise only report.</summary>
    public bool Write { get; init; }

    public IReadOnlySet<string>? Targets { get; init; }

    public int MaxParallelism { get; init; } = 4;
}
