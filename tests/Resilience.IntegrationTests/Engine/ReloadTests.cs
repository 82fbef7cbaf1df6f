namespace Resilience.IntegrationTests.Engine;

/// <summary>A changed Prometheus config reloads the running hub in place instead of replacing its container.</summary>
[Collection(EngineStacksCollection.Name)]
public sealed class ReloadTests(EngineStacks stacks) : IAsyncLifetime
{
    private const string EdgeHubContainer = $"{EngineStacks.Pc2}-edgehub";
    private static readonly string ContainerUrn = Urns.For(EngineStacks.Pc2, "docker:container", "edgehub");
    private static readonly string ConfigUrn = Urns.For(EngineStacks.Pc2, "file:file", "edgehub/prometheus.yml");

    public Task InitializeAsync() => stacks.ResetAsync(EngineStacks.Pc2);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_new_scrape_interval_is_a_file_update_and_a_reload_and_the_hub_serves_it_from_the_same_container()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var configUrl = new Uri(TestMachines.EdgeHub, "/api/v1/status/config");
        Assert.DoesNotContain("scrape_interval: 20s", await http.GetStringAsync(configUrl));
        var id = DockerCli.Inspect(EdgeHubContainer, "{{.Id}}");
        var started = DockerCli.Inspect(EdgeHubContainer, "{{.State.StartedAt}}");
        Assert.NotNull(id);

        stacks.Project.Append(EngineStacks.StackFile(EngineStacks.Pc2), "  resilience:edgeScrapeInterval: 20s\n");
        var preview = await stacks.MustRunAsync("preview", "--stack", EngineStacks.Pc2, "--json");

        var changed = CliJson.StepKinds(preview).Where(s => s.Value != "same").ToDictionary();
        Assert.Equal(new Dictionary<string, string> { [ConfigUrn] = "update", [ContainerUrn] = "reload" }, changed);

        await stacks.MustRunAsync("up", "--stack", EngineStacks.Pc2, "--yes", "--json");

        Assert.Contains("scrape_interval: 20s", await http.GetStringAsync(configUrl));
        Assert.Equal(id, DockerCli.Inspect(EdgeHubContainer, "{{.Id}}"));
        Assert.Equal(started, DockerCli.Inspect(EdgeHubContainer, "{{.State.StartedAt}}"));
        var after = await stacks.RunAsync("preview", "--stack", EngineStacks.Pc2, "--expect-no-changes");
        Assert.True(after.ExitCode == 0, after.ToString());
    }
}
