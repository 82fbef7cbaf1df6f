using System.Diagnostics;

namespace Resilience.Providers.Dotnet;

/// <summary>
/// Runs `dotnet publish` for a spec, once: a folder already stamped with the same source hash is kept, and two
/// stacks publishing into one folder at once take turns by a lock file beside it.
/// </summary>
internal sealed class DotnetPublisher(TimeSpan timeout)
{
    public sealed record Result(bool Reused, TimeSpan Took, long SizeBytes);

    public async Task<Result> PublishAsync(PublishSpec spec, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(Path.GetDirectoryName(spec.Output.TrimEnd('/')) ?? spec.Output);
        await using var turn = await TakeTurnAsync(spec.Output + ".lock", ct);
        if (IsCurrent(spec)) return new Result(true, clock.Elapsed, new FileInfo(spec.BinaryPath).Length);

        // Into a folder of its own, moved into place when complete: a publish cut short (or one still running after
        // its caller was killed) never leaves a half-written binary where the image build reads it.
        var partial = $"{spec.Output.TrimEnd('/')}.partial-{Environment.ProcessId}";
        if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     "publish", spec.Project, "-c", spec.Configuration, "-r", spec.Runtime, "--self-contained",
                     "-p:PublishSingleFile=true", "-p:InvariantGlobalization=true", "-o", partial, "--nologo",
                     // No compiler or MSBuild servers left running after a deploy.
                     "--disable-build-servers",
                 })
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (ct.IsCancellationRequested) throw;
            throw new TimeoutException($"dotnet publish {spec.Project} did not finish within {timeout.TotalSeconds:0} s");
        }
        var output = (await stdout) + (await stderr);
        if (process.ExitCode != 0 || !File.Exists(Path.Combine(partial, spec.Binary)))
        {
            if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
            var tail = string.Join('\n', output.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(15));
            var why = process.ExitCode != 0 ? $"exit code {process.ExitCode}" : $"it did not produce {spec.Binary}";
            throw new InvalidOperationException($"dotnet publish {spec.Project} failed ({why}):\n{tail}");
        }
        await File.WriteAllTextAsync(Path.Combine(partial, Path.GetFileName(spec.StampPath)), spec.SourceHash, ct);
        if (Directory.Exists(spec.Output)) Directory.Delete(spec.Output, recursive: true);
        Directory.Move(partial, spec.Output);
        return new Result(false, clock.Elapsed, new FileInfo(spec.BinaryPath).Length);
    }

    /// <summary>The binary exists and was published from the sources the spec names.</summary>
    public static bool IsCurrent(PublishSpec spec) => File.Exists(spec.BinaryPath) && StampOf(spec) == spec.SourceHash;

    public static string? StampOf(PublishSpec spec)
    {
        try
        {
            return File.ReadAllText(spec.StampPath).Trim();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static async Task<FileStream> TakeTurnAsync(string lockPath, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException)
            {
                await Task.Delay(250, ct);
            }
        }
    }
}
