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

    [Fact]
    public async Task An_up_whose_docker_engine_is_killed_fails_with_one_line_and_the_next_up_converges()
    {
        CliRunner.Result interrupted;
        TimeSpan tookAfterKill;
        using (var up = stacks.Start("up", "--stack", Stack, "--yes"))
        {
            var stdout = up.StandardOutput.ReadToEndAsync();
            var stderr = up.StandardError.ReadToEndAsync();
            try
            {
                // Mid-apply: once the stack's first container exists, images and files are done and containers are going.
                await Poll.UntilAsync(() => Task.FromResult(up.HasExited || Tool.Run("docker", "ps", "-aq", "--filter", $"label=resilience.stack={Stack}", "--filter", "label=resilience.urn").Output.Trim().Length > 0),
                    TimeSpan.FromMinutes(3), $"the first container of {Stack}");
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
