using System.Text.Json;

namespace Resilience.Operations.Gates;

/// <summary>
/// Reads a Prometheus /api/v1/query answer: a vector (one series per result, named by its agent label when it has
/// one, else by its labels), a scalar, or an error status. An empty vector is no data.
/// </summary>
public static class PrometheusAnswer
{
    public static ProbeAnswer Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            return new ProbeAnswer.Error($"the hub's answer is not JSON: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (Text(root, "status") != "success")
                return new ProbeAnswer.Error($"query refused: {Text(root, "errorType") ?? "error"}: {Text(root, "error") ?? "(no message)"}");
            if (!root.TryGetProperty("data", out var data)) return new ProbeAnswer.Error("the hub's answer has no data");
            var type = Text(data, "resultType");
            var result = data.GetProperty("result");
            switch (type)
            {
                case "scalar":
                    return ProbeAnswer.One("scalar", GateValue.Parse(result[1].GetString() ?? ""));
                case "vector":
                    var series = result.EnumerateArray().Select(s => new Series(Label(s.GetProperty("metric")), GateValue.Parse(s.GetProperty("value")[1].GetString() ?? ""))).ToList();
                    return series.Count == 0 ? new ProbeAnswer.NoData("the query returned no series") : new ProbeAnswer.Values(series);
                default:
                    return new ProbeAnswer.Error($"a {type} result: the gate needs an instant vector or a scalar");
            }
        }
    }

    private static string Label(JsonElement metric)
    {
        if (metric.TryGetProperty("agent", out var agent) && agent.ValueKind == JsonValueKind.String) return agent.GetString()!;
        var labels = metric.EnumerateObject().Where(p => p.Name != "__name__").Select(p => $"{p.Name}=\"{p.Value.GetString()}\"").ToList();
        return labels.Count == 0 ? "value" : "{" + string.Join(",", labels) + "}";
    }

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
