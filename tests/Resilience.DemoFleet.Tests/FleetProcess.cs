using System.Diagnostics;

namespace Resilience.DemoFleet.Tests;

/// <summary>The built fleet binary (the apphost the project reference copies beside the tests), run as an operator runs it.</summary>
public static class FleetProcess
{
    public static string Binary => Path.Combine(AppContext.BaseDirectory, "resilience-demo-fleet");

    /// <summary>Runs it to its exit (killed after <paramref name="limit"/>): exit code, stdout, stderr.</summary>
    public static async Task<(int Code, string Out, string Err)> RunAsync(TimeSpan limit, params string[] args)
    {
        var info = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment.Remove("RESILIENCE_FLEET_CONFIG");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"the fleet did not exit within {limit}: {await stdout}{await stderr}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
