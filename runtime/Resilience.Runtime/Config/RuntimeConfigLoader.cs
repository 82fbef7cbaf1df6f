namespace Resilience.Runtime.Config;

/// <summary>Finds and reads the runtime's config file (<see cref="RuntimeConfigYaml"/>); every problem names the file and the key.</summary>
public static class RuntimeConfigLoader
{
    public const string EnvironmentVariable = "RESILIENCE_RUNTIME_CONFIG";

    /// <summary>The config path from <c>--config PATH</c> / <c>--config=PATH</c>, else the environment variable.</summary>
    public static string? FindPath(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--config" && i + 1 < args.Count)
            {
                return args[i + 1];
            }
            if (args[i].StartsWith("--config=", StringComparison.Ordinal))
            {
                return args[i]["--config=".Length..];
            }
        }
        return environment(EnvironmentVariable);
    }

    public static RuntimeConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ConfigException($"{path}: config file not found");
        }
        return Parse(File.ReadAllText(path), path);
    }

    public static RuntimeConfig Parse(string yaml, string source) => RuntimeConfigYaml.Read(yaml, source);
}
