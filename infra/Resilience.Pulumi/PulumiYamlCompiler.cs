using Resilience.Model;
using Resilience.Stack;
using Resilience.Stack.Config;

namespace Resilience.Pulumi;

/// <summary>
/// The Pulumi YAML `compiler`: the same stack program as the embedded engine, printed as a Pulumi YAML program.
/// Config errors are the embedded engine's <see cref="ConfigException"/>s.
/// </summary>
public static class PulumiYamlCompiler
{
    /// <summary>Config key (optional) of the Docker endpoint: unix://, tcp:// or ssh://.</summary>
    public const string DockerHostKey = "dockerHost";

    private static readonly string[] DockerHostSchemes = ["unix://", "tcp://", "ssh://", "npipe://"];

    public static string Compile(string projectDir, PulumiEnvironment environment)
    {
        if (environment.Stack is null) return PluginDiscoveryProgram.Create("resilience").ToYaml();
        var (graph, config) = Graph(projectDir, environment.Stack, environment);
        return GraphMapper.Map(graph, Target(graph, config), config.Project).ToYaml();
    }

    /// <summary>
    /// Loads the stack with PULUMI_CONFIG over the stack file and runs the stack program. The Pulumi path always
    /// pulls the pinned registry images: the machines Pulumi deploys to have a registry.
    /// </summary>
    public static (ResourceGraph Graph, StackConfig Config) Graph(string projectDir, string stack, PulumiEnvironment environment)
    {
        var project = StackConfig.Load(projectDir, stack).Project;
        var values = environment.ProjectValues(project);
        // Secret keys stay as the stack file's `secure:` values; their plaintext comes from PULUMI_CONFIG on decrypt.
        var overrides = values.Where(v => !environment.SecretKeys.Contains(v.Key)).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
        overrides[$"{project}:imageSource"] = "registry";
        var config = StackConfig.Load(projectDir, stack, overrides);
        var graph = StackProgram.Run(config, projectDir, decrypt: secure =>
            values.TryGetValue(secure.Key, out var plaintext)
                ? plaintext
                : throw new ConfigException(secure.File, secure.Where, $"is a secret but {PulumiEnvironment.ConfigVariable} has no value for it"));
        return (graph, config);
    }

    private static DockerTarget Target(ResourceGraph graph, StackConfig config)
    {
        var machine = graph.Outputs.TryGetValue("machine", out var m) ? m.Value : graph.Stack;
        var host = PulumiPackages.DefaultDockerHost;
        if (config.Find(DockerHostKey) is { Value: { } value } setting)
        {
            host = value.ToString();
            if (!DockerHostSchemes.Any(s => host.StartsWith(s, StringComparison.Ordinal)))
                throw new ConfigException(setting.File, setting.Where, $"'{host}' is not a Docker endpoint: use {string.Join(", ", DockerHostSchemes.Select(s => s + "…"))}");
        }
        return new DockerTarget(machine, host);
    }
}
