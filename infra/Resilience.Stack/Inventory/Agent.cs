namespace Resilience.Stack.Inventory;

/// <summary>When an agent moves to the new architecture: PC2 pilots and batches 1-3, or MainPC in week 3.</summary>
public enum Wave { Pilot, Batch1, Batch2, Batch3, Week3 }

public sealed record Agent(string Name, string Machine, int Port, string HealthPath, string MetricsPath, bool Critical, Wave Wave, int Line)
{
    /// <summary>The agent's config file name, in the seeds' style: ObservabilityHub → observability_hub.yaml.</summary>
    public string ConfigFileName => SnakeCase(Name) + ".yaml";

    public static string SnakeCase(string name)
    {
        var builder = new System.Text.StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var boundary = i > 0 && char.IsUpper(c) && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1])
                || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1])));
            if (boundary) builder.Append('_');
            builder.Append(char.ToLowerInvariant(c));
        }
        return builder.ToString();
    }
}
