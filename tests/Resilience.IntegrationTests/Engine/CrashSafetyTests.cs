namespace Resilience.IntegrationTests.Engine;

/// <summary>`up` killed with SIGKILL at many points of a cold deploy: the state stays valid and the next up converges.</summary>
[Collection(EngineStacksCollection.Name)]
public sealed class CrashSafetyTests(EngineStacks stacks, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Stack = EngineStacks.Pc2;

    /// <summary>The first runs are killed this long after they start (while the CLI starts, the image builds run).</summary>
    private static readonly double[] KillAfterSeconds = [0.3, 0.6, 1, 1.5, 2, 3];

    /// <summary>
    /// Every run is also killed, at the latest, as soon as the checkpoint records this many more resources than when it
    /// started; the runs after the timed ones only so. Kills then land at every stage however fast the machine is.
    /// </summary>
    private const int KillAfterRecorded = 3;

    public Task InitializeAsync() => stacks.ResetAsync(Stack);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Killing_up_anywhere_leaves_a_valid_state_and_the_next_up_converges()
    {
        await stacks.MustRunAsync("destroy", "--stack", Stack, "--yes", "--json");
        var total = CliJson.StepKinds(await stacks.MustRunAsync("preview", "--stack", Stack, "--json")).Count;
        var kills = new List<(string When, bool Killed, Stage After)>();

        TimeSpan?[] schedule = [.. KillAfterSeconds.Select(s => (TimeSpan?)TimeSpan.FromSeconds(s)), .. Enumerable.Repeat<TimeSpan?>(null, 20)];
        foreach (var delay in schedule)
        {
            var recorded = ReadCheckpoint().Resources;
            // Stops while a few resources are still missing, so the recovery run below has real work left.
            if (recorded + 2 * KillAfterRecorded > total) break;
            var target = recorded + KillAfterRecorded;
            var clock = Stopwatch.StartNew();
            var wasRunning = await RunAndKillAsync(() => clock.Elapsed >= delay || ReadCheckpoint().Resources >= target);
            AssertHistoryIsWhole();
            var when = delay is { } d ? $"{d.TotalSeconds} s" : $"{target} recorded";
            kills.Add((when, wasRunning, ReadCheckpoint()));
            if (RemoveEmptyLock()) output.WriteLine($"kill at {when} left an empty lock.json (known bug, see {nameof(A_lock_file_left_empty_by_a_kill_does_not_break_the_next_run)})");
        }
        foreach (var (when, wasRunning, after) in kills)
        {
            output.WriteLine($"kill at {when}: {(wasRunning ? "killed" : "had finished")}, checkpoint records {after.Resources} resources, {after.Pending} pending");
        }
        var killed = kills.Where(k => k.Killed).ToList();
        Assert.True(killed.Count >= 6, $"only {killed.Count} of {kills.Count} runs were still going when killed");
        Assert.True(killed.Select(k => k.After).Distinct().Count() >= 4, "the kills did not land at different stages of the deploy");
        Assert.Contains(killed, k => k.After.Pending > 0);

        var recovery = Stopwatch.StartNew();
        await stacks.MustRunAsync("up", "--stack", Stack, "--yes", "--json");
        output.WriteLine($"recovery up after {kills.Count} kills: {recovery.Elapsed.TotalSeconds:0.0} s");

        var preview = await stacks.RunAsync("preview", "--stack", Stack, "--expect-no-changes");
        Assert.True(preview.ExitCode == 0, preview.ToString());
        var drift = CliJson.Drift(await stacks.MustRunAsync("refresh", "--stack", Stack, "--json"));
        Assert.Equal(total, drift.Count);
        Assert.Empty(drift.Where(r => r.Value.Status != "inSync").Select(r => $"{r.Key}: {r.Value.Status}"));
        foreach (var container in new[] { "edgehub", "pushgateway", "nats" })
        {
            Assert.True(DockerCli.IsRunning($"{Stack}-{container}"), $"{Stack}-{container} is not running");
        }
    }

    [Fact]
    public async Task A_lock_file_left_empty_by_a_kill_does_not_break_the_next_run()
    {
        var lockPath = Path.Combine(stacks.BackendDir, Stack, "lock.json");
        await File.WriteAllBytesAsync(lockPath, []);
        try
        {
            var up = await stacks.RunAsync("up", "--stack", Stack, "--yes");

            // Taken over as stale (exit 0), or refused as documented (exit 3) with a message saying which file to delete.
            Assert.True(up.ExitCode == 0 || (up.ExitCode == 3 && up.Stderr.Contains(lockPath, StringComparison.Ordinal)), up.ToString());
        }
        finally
        {
            RemoveEmptyLock();
        }
    }

    private sealed record Stage(int Resources, int Pending);

    /// <summary>Clears an empty lock a kill left, so each crash point starts alike (the takeover itself has its own test).</summary>
    private bool RemoveEmptyLock()
    {
        var lockFile = new FileInfo(Path.Combine(stacks.BackendDir, Stack, "lock.json"));
        if (!lockFile.Exists || lockFile.Length > 0) return false;
        lockFile.Delete();
        return true;
    }

    /// <returns>Whether the process was still running when killed.</returns>
    private async Task<bool> RunAndKillAsync(Func<bool> killWhen)
    {
        using var process = stacks.Start("up", "--stack", Stack, "--yes");
        // Drained so that a full pipe can never be what stops the process.
        var drained = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        try
        {
            var deadline = Stopwatch.StartNew();
            while (!process.HasExited && !killWhen() && deadline.Elapsed < TimeSpan.FromMinutes(1)) await Task.Delay(10);
            return !process.HasExited;
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            await drained;
        }
    }

    /// <summary>
    /// Fails unless checkpoint.json is a whole JSON document: the engine replaces it by rename, so even a read racing
    /// a write must see a complete file.
    /// </summary>
    private Stage ReadCheckpoint()
    {
        using var checkpoint = JsonDocument.Parse(File.ReadAllBytes(stacks.CheckpointPath(Stack)));
        var root = checkpoint.RootElement;
        return new Stage(root.GetProperty("resources").GetArrayLength(), root.GetProperty("pending").GetArrayLength());
    }

    /// <summary>
    /// Fails unless every history version is a whole JSON document. An empty one is a number the engine has claimed
    /// (exclusive create) and not written yet; `stack history` skips those.
    /// </summary>
    private void AssertHistoryIsWhole()
    {
        foreach (var version in Directory.GetFiles(Path.Combine(stacks.BackendDir, Stack, "history"), "*.json"))
        {
            if (new FileInfo(version).Length == 0) continue;
            using var history = JsonDocument.Parse(File.ReadAllBytes(version));
            Assert.Equal(JsonValueKind.Object, history.RootElement.ValueKind);
        }
    }
}
