using Resilience.Model;
using Resilience.Stack;
using Resilience.Stack.Config;

namespace Resilience.Cli;

/// <summary>Finds the project (the folder with Pulumi.yaml) and runs the stack program for a stack.</summary>
public sealed class ProjectContext(string directory)
{
    public string Directory { get; } = directory;

    public static ProjectContext Discover()
    {
        var fromEnv = Environment.GetEnvironmentVariable("RESILIENCE_PROJECT");
        if (!string.IsNullOrEmpty(fromEnv)) return new ProjectContext(Path.GetFullPath(fromEnv));
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pulumi.yaml"))) return new ProjectContext(dir.FullName);
        }
        throw new UsageException(null, $"no Pulumi.yaml in {Environment.CurrentDirectory} or above: run inside the project or set RESILIENCE_PROJECT");
    }

    public StackConfig LoadConfig(string stack, IReadOnlyDictionary<string, string>? overrides = null) =>
        StackConfig.Load(Directory, stack, overrides);

    public ResourceGraph Graph(StackConfig config, int? week = null) => StackProgram.Run(config, Directory, week);

    /// <summary>A path shown to the operator: relative to the project when inside it.</summary>
    public string Show(string path)
    {
        var relative = Path.GetRelativePath(Directory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }
}
