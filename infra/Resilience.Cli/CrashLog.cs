namespace Resilience.Cli;

/// <summary>
/// Where an unexpected failure's details go, so the operator reads one line and never a .NET stack trace:
/// $RESILIENCE_LOG_DIR, else resilience-&lt;user&gt; in the temp directory (0700), one 0600 file per failure.
/// </summary>
public static class CrashLog
{
    public const string DirectoryVariable = "RESILIENCE_LOG_DIR";

    /// <summary>Writes the details and returns the file's path, or null when it could not be written.</summary>
    public static string? Write(Exception error, IReadOnlyList<string> args)
    {
        try
        {
            var directory = Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } configured
                ? configured
                : Path.Combine(Path.GetTempPath(), $"resilience-{Environment.UserName}");
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var path = Path.Combine(directory, $"crash-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}.log");
            using var file = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
            using var writer = new StreamWriter(file);
            writer.WriteLine($"time: {DateTimeOffset.UtcNow:O}");
            writer.WriteLine($"command: resilience {string.Join(' ', args)}");
            writer.WriteLine($"version: {typeof(CrashLog).Assembly.GetName().Version}");
            writer.WriteLine();
            writer.WriteLine(error.ToString());
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
