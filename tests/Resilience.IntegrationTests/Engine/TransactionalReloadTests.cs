using Resilience.Model;

namespace Resilience.IntegrationTests.Engine;

/// <summary>A config the running hub refuses on reload is put back: the hub keeps serving, even after a restart.</summary>
[Collection(EngineStacksCollection.Name)]
public sealed class TransactionalReloadTests(EngineStacks stacks) : IAsyncLifetime
{
    private const string EdgeHubContainer = $"{EngineStacks.Pc2}-edgehub";
    private const string Template = "templates/prometheus-edge.yml.sbn";
    private const string RemoteWriteName = "    name: {{ sender.name }}\n";
    private static readonly string ContainerUrn = Urns.For(EngineStacks.Pc2, "docker:container", "edgehub");
    private static readonly string ConfigUrn = Urns.For(EngineStacks.Pc2, "file:file", "edgehub/prometheus.yml");
    private string? _template;

    public async Task InitializeAsync()
    {
        _template = File.ReadAllText(stacks.Project.PathOf(Template));
        await stacks.ResetAsync(EngineStacks.Pc2);
    }

    public async Task DisposeAsync()
    {
        stacks.Project.Write(Template, _template!);
        await stacks.ResetAsync(EngineStacks.Pc2);
    }

    [Fact]
    public async Task A_reload_the_hub_refuses_puts_the_old_config_back_which_it_still_serves_after_a_restart_and_the_next_up_tries_again()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var configUrl = new Uri(TestMachines.EdgeHub, "/api/v1/status/config");
        var config = stacks.Rendered(EngineStacks.Pc2, "edgehub/prometheus.yml");
        var before = File.ReadAllText(config);

        // promtool accepts a CA file it cannot see in the container; Prometheus refuses to load the config on reload.
        stacks.Project.Replace(Template, RemoteWriteName, RemoteWriteName + "    tls_config:\n      ca_file: /nonexistent/ca.pem\n");
        var up = await stacks.RunAsync("up", "--stack", EngineStacks.Pc2, "--yes");

        Assert.True(up.ExitCode == 1, up.ToString());
        // The console wraps long lines: compare with runs of white space as one space.
        var said = System.Text.RegularExpressions.Regex.Replace(up.ToString(), @"\s+", " ");
        Assert.True(said.Contains("answered HTTP 500: failed to reload config", StringComparison.Ordinal), up.ToString());
        Assert.True(said.Contains($"the previous content of {config} was put back and {EdgeHubContainer} reloaded on it", StringComparison.Ordinal), up.ToString());
        Assert.Equal(before, File.ReadAllText(config));
        Assert.DoesNotContain("ca.pem", await http.GetStringAsync(configUrl));

        Assert.Equal(0, Tool.Run("docker", "restart", EdgeHubContainer).ExitCode);
        Assert.True(await ReadyAsync(http), $"{EdgeHubContainer} is not ready after a restart: {DockerCli.Inspect(EdgeHubContainer, "{{.State.Status}} restarts={{.RestartCount}}")}");
        Assert.DoesNotContain("ca.pem", await http.GetStringAsync(configUrl));

        // The next up tries the change again (and is refused again): it is not forgotten.
        var preview = await stacks.MustRunAsync("preview", "--stack", EngineStacks.Pc2, "--json");
        var changed = CliJson.StepKinds(preview).Where(s => s.Value != "same").ToDictionary();
        Assert.Equal(new Dictionary<string, string> { [ConfigUrn] = "update", [ContainerUrn] = "reload" }, changed);
    }

    private static async Task<bool> ReadyAsync(HttpClient http)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(TestMachines.EdgeHub, "/-/ready"));
                if (response.IsSuccessStatusCode) return true;
            }
            catch (HttpRequestException)
            {
                // Still starting.
            }
            await Task.Delay(500);
        }
        return false;
    }
}
