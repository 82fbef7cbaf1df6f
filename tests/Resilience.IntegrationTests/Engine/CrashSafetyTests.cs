using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace Resilience.IntegrationTests.Engine;

/// <summary>`up` killed with SIGKILL at many points of a cold deploy: the state stays valid and the next up converges.</summary>
[Collection(EngineStacksCollection.Name)]
public sealed class CrashSafetyTests(EngineStacks stacks, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Stack = EngineStacks.Pc2;

    /// <summary>Early kills: while the CLI starts and the first steps (image builds) run.</summary>
    private static readonly double[] KillAfterSeconds = [0.3, 0.6, 1, 1.5, 2, 3];

    /// <summary>
    /// Later kills are placed by progress, not time, so they land at every stage however fast the machine is: each run
    /// is killed as soon as the checkpoint records this many more resources than when it started.
    /// </summary>
    private const int KillAfterRecorded = 3;

    public Task InitializeAsync() => stacks.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Killing_up_anywhere_leaves_a_valid_state_and_the_next_up_converges()
    {
        await stacks.MustRunAsync("destroy", "--stack", Stack, "--yes", "--json");
        var total = CliJson.StepKinds(await stacks.MustRunAsync("preview", "--stack", Stack, "--json")).Count;
        var kills = new List<(string When, bool Killed, Stage After)>();

        foreach (var seconds in KillAfterSeconds)
        {
            var clock = Stopwatch.StartNew();
            var wasRunning = await RunAndKillAsync(() => clock.Elapsed >= TimeSpan.FromSeconds(seconds));
            kills.Add(($"{seconds} s", wasRunning, ReadStateFiles()));
        }
        // Stops while a few resources are still missing, so the recovery run below has real work left.
        while (ReadStateFiles().Resources + 2 * KillAfterRecorded <= total)
        {
            var target = ReadStateFiles().Resources + KillAfterRecorded;
            var wasRunning = await RunAndKillAsync(() => ReadStateFiles().Resources >= target);
            kills.Add(($"{target} recorded", wasRunning, ReadStateFiles()));
            Assert.True(kills.Count < 30, "the killed runs stopped making progress");
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

    private sealed record Stage(int Resources, int Pending);

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
    /// Fails unless checkpoint.json and every history version are whole JSON documents: the engine replaces them by
    /// rename, so even a read racing a write must see a complete file. An empty version file is a number the engine
    /// has claimed (exclusive create) before writing it; `stack history` skips those.
    /// </summary>
    private Stage ReadStateFiles()
    {
        foreach (var version in Directory.GetFiles(Path.Combine(stacks.BackendDir, Stack, "history"), "*.json"))
        {
            if (new FileInfo(version).Length == 0) continue;
            using var history = JsonDocument.Parse(File.ReadAllBytes(version));
            Assert.Equal(JsonValueKind.Object, history.RootElement.ValueKind);
        }
        using var checkpoint = JsonDocument.Parse(File.ReadAllBytes(stacks.CheckpointPath(Stack)));
        var root = checkpoint.RootElement;
        return new Stage(root.GetProperty("resources").GetArrayLength(), root.GetProperty("pending").GetArrayLength());
    }
}
