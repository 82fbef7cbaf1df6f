namespace Resilience.IntegrationTests.Engine;

/// <summary>Changes made behind the tool's back: refresh reports each one, and up after refresh repairs each one.</summary>
[Collection(EngineStacksCollection.Name)]
public sealed class DriftTests(EngineStacks stacks) : IAsyncLifetime
{
    private const string Stack = EngineStacks.Pc2;
    private const string PushgatewayContainer = $"{Stack}-pushgateway";
    private const string AgentFile = "agents/resource_manager.yaml";
    private const string DeletedStream = "observability-alerts";
    private const string EditedStream = "observability-health";
    private static readonly TimeSpan DesiredHealthMaxAge = TimeSpan.FromHours(24);

    private static readonly string ContainerUrn = Urns.For(Stack, "docker:container", "pushgateway");
    private static readonly string FileUrn = Urns.For(Stack, "file:file", AgentFile);
    private static readonly string DeletedStreamUrn = Urns.For(Stack, "jetstream:stream", DeletedStream);
    private static readonly string EditedStreamUrn = Urns.For(Stack, "jetstream:stream", EditedStream);

    public Task InitializeAsync() => stacks.ResetAsync(Stack);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Refresh_reports_a_removed_container_an_edited_file_a_deleted_and_an_edited_stream_and_up_repairs_them()
    {
        await using var nats = new NatsConnection(new NatsOpts { Url = TestMachines.Pc2Nats });
        var js = new NatsJSContext(nats);
        var agentFile = stacks.Rendered(Stack, AgentFile);
        var rendered = await File.ReadAllTextAsync(agentFile);
        Assert.Equal(DesiredHealthMaxAge, (await js.GetStreamAsync(EditedStream)).Info.Config.MaxAge);

        DockerCli.RemoveContainer(PushgatewayContainer);
        await File.AppendAllTextAsync(agentFile, "# edited by hand\n");
        await js.DeleteStreamAsync(DeletedStream);
        var edited = (await js.GetStreamAsync(EditedStream)).Info.Config;
        edited.MaxAge = TimeSpan.FromHours(1);
        await js.UpdateStreamAsync(edited);

        var report = CliJson.Drift(await stacks.MustRunAsync("refresh", "--stack", Stack, "--json"));
        Assert.Equal("gone", report[ContainerUrn].Status);
        Assert.Equal("changed", report[FileUrn].Status);
        Assert.Equal(new[] { "content" }, report[FileUrn].Paths);
        Assert.Equal("gone", report[DeletedStreamUrn].Status);
        Assert.Equal("changed", report[EditedStreamUrn].Status);
        Assert.Contains("maxAge", report[EditedStreamUrn].Paths);

        await stacks.MustRunAsync("refresh", "--stack", Stack, "--yes", "--json");
        await stacks.MustRunAsync("up", "--stack", Stack, "--yes", "--json");

        Assert.True(DockerCli.IsRunning(PushgatewayContainer), $"{PushgatewayContainer} is not running after up");
        Assert.Equal(rendered, await File.ReadAllTextAsync(agentFile));
        Assert.Equal(DeletedStream, (await js.GetStreamAsync(DeletedStream)).Info.Config.Name);
        Assert.Equal(DesiredHealthMaxAge, (await js.GetStreamAsync(EditedStream)).Info.Config.MaxAge);
        var again = CliJson.Drift(await stacks.MustRunAsync("refresh", "--stack", Stack, "--json"));
        Assert.Empty(again.Where(r => r.Value.Status != "inSync").Select(r => $"{r.Key}: {r.Value.Status}"));
    }
}
