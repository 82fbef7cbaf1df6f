namespace Resilience.IntegrationTests.Engine;

/// <summary>PC2 advanced from rollout week 1 to week 2, then rolled back to the week-1 version from its history.</summary>
[Collection(EngineStacksCollection.Name)]
public sealed class HistoryAndRollbackTests(EngineStacks stacks) : IAsyncLifetime
{
    private const string Stack = EngineStacks.Pc2;

    public Task InitializeAsync() => stacks.ResetAsync(Stack);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Rolling_back_to_week_1_removes_the_batch_agent_configs_and_keeps_the_pilots()
    {
        var pilots = AgentFiles();
        Assert.Equal(3, pilots.Count);
        var week1 = (await HistoryAsync())[^1];
        Assert.Equal(("up", "succeeded"), (week1.Command, week1.Result));

        stacks.Project.Replace(EngineStacks.StackFile(Stack), "resilience:rolloutWeek: 1", "resilience:rolloutWeek: 2");
        await stacks.MustRunAsync("up", "--stack", Stack, "--yes", "--json");
        var week2Files = AgentFiles();
        Assert.Equal(40, week2Files.Count);
        Assert.Superset(pilots.ToHashSet(), week2Files.ToHashSet());

        var history = await HistoryAsync();
        var week2 = history[^1];
        Assert.Equal(("up", "succeeded"), (week2.Command, week2.Result));
        Assert.True(week2.Number > week1.Number, $"week 2 is version {week2.Number}, week 1 was {week1.Number}");
        Assert.Contains(week1, history);

        await stacks.MustRunAsync("rollback", "--stack", Stack, "--to", week1.Number.ToString(), "--yes", "--json");

        Assert.Equal(pilots, AgentFiles());
        var rollback = (await HistoryAsync())[^1];
        Assert.Equal(("rollback", "succeeded"), (rollback.Command, rollback.Result));
        Assert.True(rollback.Number > week2.Number, $"the rollback is version {rollback.Number}, week 2 was {week2.Number}");
    }

    private List<string> AgentFiles() =>
        [.. Directory.GetFiles(stacks.Rendered(Stack, "agents"), "*.yaml").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    private async Task<IReadOnlyList<CliJson.Version>> HistoryAsync() =>
        CliJson.History(await stacks.MustRunAsync("stack", "history", "--stack", Stack, "--json"));
}
