namespace Resilience.Providers.Docker.Containers;

/// <summary>
/// Finds the config file a failing container's log names: a path under one of its bind mounts, mapped back to the host
/// file the operator can open. The latest line naming one wins.
/// </summary>
public static class ConfigBlame
{
    private static readonly char[] PathEnds = [' ', '\t', '"', '\'', '`', ':', ',', ';', '(', ')', '[', ']', '='];

    /// <returns>The host file and the log line naming it; null when no line names a file of a bind mount.</returns>
    public static (string File, string Line)? Find(IEnumerable<ContainerMount> mounts, string logs)
    {
        var binds = mounts.Where(m => m.Type == MountKind.Bind).ToList();
        foreach (var line in logs.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Reverse())
        {
            foreach (var mount in binds)
            {
                var prefix = mount.Target.TrimEnd('/') + "/";
                for (var at = line.IndexOf(prefix, StringComparison.Ordinal); at >= 0; at = line.IndexOf(prefix, at + 1, StringComparison.Ordinal))
                {
                    var end = line.IndexOfAny(PathEnds, at);
                    var relative = line[(at + prefix.Length)..(end < 0 ? line.Length : end)];
                    if (relative.Length == 0 || relative.Split('/').Contains("..")) continue;
                    var file = Path.Combine(mount.Source, relative);
                    if (File.Exists(file)) return (file, line);
                }
            }
        }
        return null;
    }
}
