namespace Resilience.Testing;

/// <summary>The command lines of every process on the machine, as `ps` shows them to anyone (/proc/*/cmdline).</summary>
public static class ProcessTable
{
    /// <summary>"pid: command line" of each process whose command line contains one of <paramref name="needles"/>.</summary>
    public static IEnumerable<string> CommandLinesContaining(params string[] needles)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            string cmdline;
            try { cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' '); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            if (needles.Any(n => cmdline.Contains(n, StringComparison.Ordinal))) yield return $"{Path.GetFileName(dir)}: {cmdline}";
        }
    }
}
