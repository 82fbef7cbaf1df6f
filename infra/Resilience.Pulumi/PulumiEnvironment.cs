using System.Text.Json;
using Resilience.Stack.Config;

namespace Resilience.Pulumi;

/// <summary>
/// What Pulumi tells a YAML `compiler` through the environment: the stack (PULUMI_STACK), its config
/// (PULUMI_CONFIG: a JSON object of "project:key" → string, secrets decrypted) and which keys are secret
/// (PULUMI_CONFIG_SECRET_KEYS: a JSON array). No stack means Pulumi only wants to know the plugins.
/// </summary>
public sealed record PulumiEnvironment(string? Stack, IReadOnlyDictionary<string, string> Config, IReadOnlySet<string> SecretKeys)
{
    public const string StackVariable = "PULUMI_STACK";
    public const string ConfigVariable = "PULUMI_CONFIG";
    public const string SecretKeysVariable = "PULUMI_CONFIG_SECRET_KEYS";

    public static PulumiEnvironment From(Func<string, string?> variable)
    {
        var stack = variable(StackVariable);
        // The service backends may pass an org/project/stack reference; the stack file is named by the last part.
        if (stack is not null && stack.Contains('/')) stack = stack[(stack.LastIndexOf('/') + 1)..];
        return new PulumiEnvironment(
            string.IsNullOrWhiteSpace(stack) ? null : stack,
            ReadConfig(variable(ConfigVariable)),
            ReadSecretKeys(variable(SecretKeysVariable)));
    }

    /// <summary>The values for this project's keys; other namespaces (e.g. "docker:host") are not ours to read.</summary>
    public Dictionary<string, string> ProjectValues(string project) =>
        Config.Where(c => c.Key.StartsWith(project + ":", StringComparison.Ordinal)).ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);

    private static Dictionary<string, string> ReadConfig(string? json)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(json)) return result;
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(json).RootElement;
        }
        catch (JsonException e)
        {
            throw new ConfigException(ConfigVariable, "environment", $"is not valid JSON: {e.Message}");
        }
        if (root.ValueKind != JsonValueKind.Object)
            throw new ConfigException(ConfigVariable, "environment", "expected a JSON object of \"project:key\" to value");
        foreach (var p in root.EnumerateObject())
        {
            result[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
        }
        return result;
    }

    private static HashSet<string> ReadSecretKeys(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return [];
        try
        {
            return JsonSerializer.Deserialize<string[]>(json)?.ToHashSet(StringComparer.Ordinal) ?? [];
        }
        catch (JsonException e)
        {
            throw new ConfigException(SecretKeysVariable, "environment", $"expected a JSON array of key names: {e.Message}");
        }
    }
}
