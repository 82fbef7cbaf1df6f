using System.Text.Json;

namespace Resilience.Runtime.Publishing;

public static class JsonOptions
{
    public static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web) { WriteIndented = false };
}
