namespace Resilience.IntegrationTests.Engine;

/// <summary>After a refused reload put a config's previous content back, the state records that previous content.</summary>
[Collection(EngineStacksCollection.Name)]
public sealed class PutBackStateTests(EngineStacks stacks) : IAsyncLifetime
{
    private const string Stack = EngineStacks.Pc2;
    private const string Template = "templates/prometheus-edge.yml.sbn";
    private const string RemoteWriteName = "    name: {{ sender.name }}\n";
    private static readonly string ConfigUrn = Urns.For(Stack, "file:file", "edgehub/prometheus.yml");
    private string? _template;

    public async Task InitializeAsync()
    {
        _template = File.ReadAllText(stacks.Project.PathOf(Template));
        await stacks.ResetAsync(Stack);
    }

    public async Task DisposeAsync()
    {
        stacks.Project.Write(Template, _template!);
        await stacks.ResetAsync(Stack);
    }

    [Fact]
    public async Task The_state_records_the_content_put_back_not_the_content_the_hub_refused()
    {
        var config = stacks.Rendered(Stack, "edgehub/prometheus.yml");
        var before = File.ReadAllText(config);

        // promtool accepts a CA file it cannot see in the container; Prometheus refuses the config on reload.
        stacks.Project.Replace(Template, RemoteWriteName, RemoteWriteName + "    tls_config:\n      ca_file: /nonexistent/ca.pem\n");
        var up = await stacks.RunAsync("up", "--stack", Stack, "--yes");
        Assert.True(up.ExitCode == 1, up.ToString());
        Assert.Equal(before, File.ReadAllText(config));

        var exported = CliJson.Object(await stacks.MustRunAsync("stack", "export", "--stack", Stack));
        var recorded = exported["resources"]!.AsArray().Single(r => (string)r!["urn"]! == ConfigUrn)!;
        Assert.Equal(before, (string)recorded["inputs"]!["content"]!);

        var drift = CliJson.Drift(await stacks.MustRunAsync("refresh", "--stack", Stack, "--json"));
        Assert.Equal(("inSync", Array.Empty<string>()), (drift[ConfigUrn].Status, drift[ConfigUrn].Paths));

        // The change is not forgotten: the next up writes it again (and the hub refuses it again).
        var preview = CliJson.StepKinds(await stacks.MustRunAsync("preview", "--stack", Stack, "--json"));
        Assert.Equal("update", preview[ConfigUrn]);
    }
}
