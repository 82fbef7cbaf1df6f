namespace Resilience.IntegrationTests.Engine;

/// <summary>
/// dockerd killed in the middle of an up: the up fails soon with one clear line, and once the engine is back the next up
/// converges. Kills the machine's shared engine: run only under the shared server lock.
/// </summary>
[Collection(EngineStacksCollection.Name)]
public sealed class DockerEngineRestartTests(EngineStacks stacks, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Stack = EngineStacks.Pc2;
    private static readonly TimeSpan FailWithin = TimeSpan.FromSeconds(60);

    public async Task InitializeAsync()
    {
        await DockerDaemon.EnsureRunningAsync();
        await stacks.MustRunAsync("destroy", "--stack", Stack, "--yes");
    }

    public async Task DisposeAsync()
    {
        await DockerDaemon.EnsureRunningAsync();
        await stacks.ResetAsync(Stack);
    }

    [Fact(Skip = "The kill does not land mid-apply here yet: in four runs the up (4-6 s, images cached) had finished its Docker steps " +
        "before the kill, though the kill itself works (docker version fails at once). The first dockerd start after the crash also " +
        "times out on its containerd about half the time; DockerDaemon starts it again.")]
    public async Task An_up_whose_docker_engine_is_killed_fails_with_one_line_and_the_next_up_converges()
    {
        CliRunner.Result interrupted;
        TimeSpan tookAfterKill;
        using (var up = stacks.Start("up", "--stack", Stack, "--yes"))
        {
            var stderr = up.StandardError.ReadToEndAsync();
            var stdout = up.StandardOutput.ReadToEndAsync();
            try
            {
                // Mid-apply: the first files are written as the images start being made (which takes a second or two).
                // (Not by its progress lines: a redirected stdout reaches us only at its end.)
                var firstFile = stacks.Rendered(Stack, "edgehub/prometheus.yml");
                var waited = Stopwatch.StartNew();
                while (!File.Exists(firstFile) && !up.HasExited && waited.Elapsed < TimeSpan.FromMinutes(3)) await Task.Delay(10);
                Assert.False(up.HasExited, $"up finished before dockerd could be killed: {await stdout}{await stderr}");
                var clock = Stopwatch.StartNew();
                var pid = DockerDaemon.Kill();
                output.WriteLine($"killed dockerd (pid {pid}) in {clock.Elapsed.TotalSeconds:0.0} s");
                using var limit = new CancellationTokenSource(FailWithin);
                try
                {
                    await up.WaitForExitAsync(limit.Token);
                }
                catch (OperationCanceledException)
                {
                    up.Kill(entireProcessTree: true);
                    Assert.Fail($"up did not end within {FailWithin.TotalSeconds} s of dockerd being killed: {await stdout}{await stderr}");
                }
                tookAfterKill = clock.Elapsed;
                interrupted = new CliRunner.Result(up.ExitCode, await stdout, await stderr);
            }
            finally
            {
                await DockerDaemon.EnsureRunningAsync();
            }
        }
        output.WriteLine($"up ended {tookAfterKill.TotalSeconds:0.0} s after the kill: {interrupted}");

        Assert.True(interrupted.ExitCode == 1, interrupted.ToString());
        var errors = (interrupted.Stdout + interrupted.Stderr).Split('\n').Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
        var error = Assert.Single(errors);
        Assert.Contains("the Docker engine at unix:///var/run/docker.sock stopped answering", error);
        Assert.DoesNotContain("   at ", interrupted.ToString());

        // The containers died with the engine (its crash took their shims): the refresh reads them exited, up starts them.
        var again = await stacks.MustRunAsync("up", "--stack", Stack, "--refresh", "--yes");
        output.WriteLine(again.Stdout);
        await stacks.MustRunAsync("preview", "--stack", Stack, "--expect-no-changes");
    }
}
