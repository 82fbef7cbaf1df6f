using System.Diagnostics;

namespace Resilience.Testing;

/// <summary>
/// The machine's Docker engine, for tests that kill it on purpose: only under the shared server lock, and always
/// started again (try/finally), the way scripts/setup starts it.
/// </summary>
public static class DockerDaemon
{
    private const string PidFile = "/var/run/docker.pid";
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    /// <summary>Whether the engine answers `docker version`.</summary>
    public static bool Answers() => Tool.Run("docker", "version", "--format", "{{.Server.Version}}").ExitCode == 0;

    /// <summary>
    /// Kills dockerd as a crash would (SIGKILL, by its pid) together with the containerd it started, and waits until both
    /// are gone. (SIGTERM, `pkill dockerd`'s signal, was tried: dockerd then stops every container first and kept answering
    /// the API meanwhile, so an up finished undisturbed; and a SIGKILL of dockerd alone leaves its containerd holding the
    /// socket, so the next dockerd times out starting its own.) The containers' shims live on, as after a crash.
    /// </summary>
    /// <returns>The pid dockerd had.</returns>
    public static int Kill()
    {
        var pid = File.ReadAllText(PidFile).Trim();
        var victims = ChildrenOf(pid).Prepend(pid).ToList();
        var killed = Tool.Run("kill", ["-KILL", .. victims]);
        if (killed.ExitCode != 0) throw new InvalidOperationException($"kill -KILL {string.Join(' ', victims)}: {killed}");
        var clock = Stopwatch.StartNew();
        while (victims.Any(IsAlive))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException($"dockerd (pids {string.Join(' ', victims)}) did not end within 30 s of SIGKILL");
            Thread.Sleep(100);
        }
        return int.Parse(pid, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static IEnumerable<string> ChildrenOf(string pid) =>
        Directory.GetDirectories("/proc").Select(Path.GetFileName).OfType<string>().Where(p => p.All(char.IsAsciiDigit)).Where(p =>
        {
            try
            {
                return File.ReadLines($"/proc/{p}/status").Any(l => l.StartsWith("PPid:", StringComparison.Ordinal) && l[5..].Trim() == pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }).ToList();

    /// <summary>
    /// Starts dockerd as scripts/setup does (`nohup dockerd >/var/log/dockerd.log 2>&amp;1 &amp;`) unless it answers,
    /// removing the pid file a killed one left behind, and waits until `docker version` answers.
    /// </summary>
    public static async Task EnsureRunningAsync()
    {
        // Seen here: the first dockerd after a crash can time out starting its containerd (the old one's socket lingers
        // in the shims it left); the next one starts. So a start that ends without answering is tried again.
        for (var attempt = 1; ; attempt++)
        {
            if (Answers()) return;
            if (File.Exists(PidFile) && !IsAlive(File.ReadAllText(PidFile).Trim())) File.Delete(PidFile);
            // Close every inherited descriptor above stderr first: the test runs under flock, and a dockerd holding the
            // lock's descriptor would keep every engineer's lock taken for as long as it runs.
            var started = Tool.Run("bash", "-c",
                "for fd in /proc/$$/fd/*; do n=${fd##*/}; [ \"$n\" -gt 2 ] && eval \"exec $n>&-\" 2>/dev/null; done; " +
                "mkdir -p /var/log; nohup setsid dockerd >/var/log/dockerd.log 2>&1 </dev/null & echo $!");
            if (started.ExitCode != 0) throw new InvalidOperationException($"starting dockerd: {started}");
            var pid = started.Output.Trim();
            var clock = Stopwatch.StartNew();
            while (!Answers() && IsAlive(pid) && clock.Elapsed < StartLimit) await Task.Delay(500);
            if (Answers()) return;
            var log = Tail("/var/log/dockerd.log");
            if (IsAlive(pid)) Tool.Run("kill", "-KILL", pid);
            if (attempt == 3) throw new TimeoutException($"dockerd did not answer after {attempt} starts; /var/log/dockerd.log ends:\n{log}");
        }
    }

    /// <summary>A zombie (killed, not yet reaped) counts as gone.</summary>
    private static bool IsAlive(string pid)
    {
        if (!int.TryParse(pid, out var id)) return false;
        try
        {
            return !File.ReadLines($"/proc/{id}/status").Any(l => l.StartsWith("State:", StringComparison.Ordinal) && l.Contains('Z'));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string Tail(string file) => File.Exists(file) ? string.Join('\n', File.ReadLines(file).TakeLast(20)) : "(no log)";
}
