namespace Resilience.IntegrationTests.Engine;

/// <summary>A lost checkpoint is rebuilt from the history plus a read of the real world, through the real CLI.</summary>
[Collection(EngineStacksCollection.Name)]
public sealed class StateRebuildTests(EngineStacks stacks) : IAsyncLifetime
{
    private const string Stack = EngineStacks.Pc2;

    public Task InitializeAsync() => stacks.ResetAsync(Stack);

    public Task DisposeAsync() => stacks.ResetAsync(Stack);

    [Fact]
    public async Task A_deleted_checkpoint_rebuilt_from_the_history_previews_no_changes()
    {
        var checkpoint = stacks.CheckpointPath(Stack);
        File.Delete(checkpoint);
        File.Delete(Path.Combine(Path.GetDirectoryName(checkpoint)!, "checkpoint.previous.json"));

        // Without it the engine knows nothing: every resource would be created again (the control).
        var lost = await stacks.RunAsync("preview", "--stack", Stack, "--expect-no-changes");
        Assert.True(lost.ExitCode == 1, lost.ToString());

        var rebuilt = await stacks.MustRunAsync("stack", "import", "--stack", Stack, "--from-history");
        Assert.Contains($"rebuilt the state of stack '{Stack}' from history version", rebuilt.Stdout);
        Assert.Contains("0 declared but not found", rebuilt.Stdout);

        var preview = await stacks.RunAsync("preview", "--stack", Stack, "--expect-no-changes");
        Assert.True(preview.ExitCode == 0, preview.ToString());
        var drift = CliJson.Drift(await stacks.MustRunAsync("refresh", "--stack", Stack, "--json"));
        Assert.Empty(drift.Where(r => r.Value.Status != "inSync").Select(r => $"{r.Key}: {r.Value.Status}"));
    }
}
