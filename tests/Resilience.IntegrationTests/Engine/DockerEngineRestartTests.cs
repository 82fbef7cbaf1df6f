namespace Resilience.IntegrationTests.Engine;

/// <summary>
/// dockerd killed in the middle of an up: the up fails soon with one clear line, and once the engine is back the next up
/// converges. Kills the machine's shared engine: run only under the shared server lock.
/// </summary>
[Collection(DockerEngineCollection.Name)]
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
        // Mid-apply, by the engine's own word: the first container it starts. One step at a time, so the other
        // containers of the stack are still to come when the kill lands (with four at once, and images cached, the
        // whole up can be over before a trigger seen from outside). Progress lines cannot be the trigger: a
        // redirected stdout reaches us only at its end.
        using var events = Process.Start(new ProcessStartInfo("docker", ["events", "--filter", "type=container", "--filter", "event=start", "--format", "{{.Actor.Attributes.name}}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        using (var up = stacks.Start("up", "--stack", Stack, "--yes", "--parallel", "1"))
        {
            var stderr = up.StandardError.ReadToEndAsync();
            var stdout = up.StandardOutput.ReadToEndAsync();
            try
            {
                // Read and kill on a thread of its own: on two busy cores an async continuation can come seconds late.
                string? started = null;
                var pid = 0;
                var clock = new Stopwatch();
                var killer = new Thread(() =>
                {
                    started = events.StandardOutput.ReadLine();
                    if (up.HasExited) return;
                    clock.Start();
                    pid = DockerDaemon.Kill();
                });
                killer.Start();
                Assert.True(killer.Join(TimeSpan.FromMinutes(3)), "no container started within 3 min");
                Assert.True(pid != 0, $"up finished before dockerd could be killed (first start: {started}): {await stdout}{await stderr}");
                output.WriteLine($"first container started: {started}; killed dockerd (pid {pid}) {clock.Elapsed.TotalSeconds:0.0} s later");
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
        var text = interrupted.Stdout + interrupted.Stderr;
        Assert.Single(text.Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));
        // The error is one paragraph, wrapped to the console's width when the output is not a terminal.
        var error = text[text.IndexOf("error:", StringComparison.Ordinal)..].Split("\n\n")[0].Replace("\n", "", StringComparison.Ordinal);
        Assert.Contains("the Docker engine at unix:///var/run/docker.sock stopped answering", error);
        Assert.DoesNotContain("   at ", interrupted.ToString());

        // The containers died with the engine (its crash took their shims): the refresh reads them exited, up starts them.
        var again = await stacks.MustRunAsync("up", "--stack", Stack, "--refresh", "--yes");
        output.WriteLine(again.Stdout);
        await stacks.MustRunAsync("preview", "--stack", Stack, "--expect-no-changes");
    }
}
