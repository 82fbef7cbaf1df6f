using System.Text.Json;
using System.Text.Json.Nodes;
using Resilience.Platform;

namespace Resilience.Operations.Gates;

/// <summary>
/// Baselines a gate records itself (push p99 before the rollout): one JSON file per stack in the backend, name → value.
/// The first evaluation of a check that names a baseline records its value; later ones compare against it.
/// </summary>
public sealed class GateBaselines(string file)
{
    public GateValue? Find(string name)
    {
        var all = Load();
        return all[name] is JsonObject entry && entry["value"] is JsonValue v && v.TryGetValue<double>(out var n) ? GateValue.Of(n) : null;
    }

    public void Record(string name, double value, string gate)
    {
        var all = Load();
        all[name] = new JsonObject { ["value"] = value, ["recordedBy"] = gate, ["at"] = DateTimeOffset.UtcNow.ToString("O") };
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        AtomicFile.Write(file, System.Text.Encoding.UTF8.GetBytes(all.ToJsonString(new JsonSerializerOptions { WriteIndented = true })));
    }

    private JsonObject Load() => File.Exists(file) ? JsonNode.Parse(File.ReadAllText(file)) as JsonObject ?? [] : [];
}
