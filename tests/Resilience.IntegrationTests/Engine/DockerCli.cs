namespace Resilience.IntegrationTests.Engine;

/// <summary>The docker CLI, for looking at and breaking what the engine deployed, and for the last-resort cleanup.</summary>
internal static class DockerCli
{
    /// <summary>A container's field per a Go template (e.g. "{{.Id}}"), or null when there is no such container.</summary>
    public static string? Inspect(string container, string format)
    {
        var result = Tool.Run("docker", "inspect", "--type", "container", "--format", format, container);
        return result.ExitCode == 0 ? result.Output.Trim() : null;
    }

    public static bool IsRunning(string container) => Inspect(container, "{{.State.Running}}") == "true";

    public static void RemoveContainer(string container)
    {
        var result = Tool.Run("docker", "rm", "-f", container);
        if (result.ExitCode != 0) throw new InvalidOperationException($"docker rm -f {container}: {result}");
    }

    /// <summary>Containers, volumes and images labelled as belonging to the stack.</summary>
    public static IReadOnlyList<string> Labelled(string stack) =>
    [
        .. Ids("ps", "-aq", "--filter", $"label=resilience.stack={stack}").Select(id => $"container {id}"),
        .. Ids("volume", "ls", "-q", "--filter", $"label=resilience.stack={stack}").Select(id => $"volume {id}"),
        .. Ids("images", "-q", "--filter", $"label=resilience.stack={stack}").Select(id => $"image {id}"),
    ];

    /// <summary>Removes everything labelled with the stack: containers first, since they hold volumes and images.</summary>
    public static void RemoveLabelled(string stack)
    {
        var filter = $"label=resilience.stack={stack}";
        foreach (var id in Ids("ps", "-aq", "--filter", filter)) Tool.Run("docker", "rm", "-f", "-v", id);
        foreach (var id in Ids("volume", "ls", "-q", "--filter", filter)) Tool.Run("docker", "volume", "rm", "-f", id);
        foreach (var id in Ids("images", "-q", "--filter", filter).Distinct()) Tool.Run("docker", "image", "rm", "-f", id);
    }

    private static IEnumerable<string> Ids(params string[] args)
    {
        var result = Tool.Run("docker", args);
        if (result.ExitCode != 0) throw new InvalidOperationException($"docker {string.Join(' ', args)}: {result}");
        return result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
