using System.Diagnostics;

namespace Resilience.Testing;

/// <summary>Runs the real CLI (the resilience.dll built beside the tests) as a child process.</summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
    }

    public static Result Run(string projectDir, IReadOnlyDictionary<string, string>? env, params string[] args) =>
        RunAsync(projectDir, env, TimeSpan.FromMinutes(5), args).GetAwaiter().GetResult();

    public static Result Run(string projectDir, params string[] args) => Run(projectDir, null, args);

    public static Process Start(string projectDir, IReadOnlyDictionary<string, string>? env, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = projectDir,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "resilience.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["RESILIENCE_PROJECT"] = projectDir;
        info.Environment["NO_COLOR"] = "1";
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) info.Environment[k] = v;
        var process = Process.Start(info)!;
        process.StandardInput.Close();
        return process;
    }

    public static async Task<Result> RunAsync(string projectDir, IReadOnlyDictionary<string, string>? env, TimeSpan timeout, params string[] args)
    {
        using var process = Start(projectDir, env, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"resilience {string.Join(' ', args)} did not finish in {timeout}");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
