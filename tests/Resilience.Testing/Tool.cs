using System.Diagnostics;

namespace Resilience.Testing;

/// <summary>Runs a real external tool (promtool, nats-server, docker) and captures what it says.</summary>
public static class Tool
{
    public sealed record Result(int ExitCode, string Output)
    {
        public override string ToString() => $"exit {ExitCode}: {Output}";
    }

    public static Result Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} hung");
        }
        return new Result(process.ExitCode, stdout.Result + stderr.Result);
    }
}
