namespace Resilience.IntegrationTests.Engine;

/// <summary>Two `up`s of one stack at once: the lock lets one through and refuses the other before it touches anything.</summary>
[Collection(EngineStacksCollection.Name)]
public sealed class ConcurrencyTests(EngineStacks stacks) : IAsyncLifetime
{
    private const string Stack = EngineStacks.Pc2;

    public Task InitializeAsync() => stacks.ResetAsync(Stack);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Of_two_concurrent_ups_one_is_refused_with_the_lock_holder_and_the_other_deploys()
    {
        // A cold deploy takes seconds, so both runs certainly overlap.
        await stacks.MustRunAsync("destroy", "--stack", Stack, "--yes", "--json");
        var versionsBefore = CliJson.History(await stacks.MustRunAsync("stack", "history", "--stack", Stack, "--json")).Count;

        var runs = await Task.WhenAll(
            stacks.RunAsync("up", "--stack", Stack, "--yes", "--json"),
            stacks.RunAsync("up", "--stack", Stack, "--yes", "--json"));

        var described = string.Join("\n---\n", runs.Select(r => r.ToString()));
        Assert.True(runs.Count(r => r.ExitCode == 3) == 1 && runs.Count(r => r.ExitCode == 0) == 1, described);
        Assert.Contains("locked by pid", runs.Single(r => r.ExitCode == 3).Stderr);

        var preview = await stacks.RunAsync("preview", "--stack", Stack, "--expect-no-changes");
        Assert.True(preview.ExitCode == 0, preview.ToString());
        var drift = CliJson.Drift(await stacks.MustRunAsync("refresh", "--stack", Stack, "--json"));
        Assert.Empty(drift.Where(r => r.Value.Status != "inSync").Select(r => $"{r.Key}: {r.Value.Status}"));
        var history = CliJson.History(await stacks.MustRunAsync("stack", "history", "--stack", Stack, "--json"));
        var added = Assert.Single(history.Skip(versionsBefore));
        Assert.Equal(("up", "succeeded"), (added.Command, added.Result));
    }
}
