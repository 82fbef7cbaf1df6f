using System.Text.Json.Nodes;

namespace Resilience.Tests.Security;

/// <summary>
/// `preview` of a stack whose material the next `up` makes (securityMaterial auto, a fresh checkout): the plan shows
/// the secured listeners `up` deploys, and nothing is written — no stack file changes, no passphrase is made.
/// </summary>
public sealed class PreviewWithMaterialTests : IDisposable
{
    private readonly TempProject _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public void The_first_preview_plans_the_secured_listeners_and_writes_nothing()
    {
        var before = Directory.GetFiles(_project.Dir, "Pulumi*.yaml").ToDictionary(f => f, File.ReadAllBytes);
        var temps = Directory.GetDirectories(Path.GetTempPath(), "resilience-preview-*").Length;

        var preview = CliRunner.Run(_project.Dir, "preview", "--stack", "pc2", "--json", "--backend", $"file://{_project.PathOf("state")}");

        Assert.True(preview.ExitCode == 0, preview.ToString());
        Assert.Contains("this plan shows the secured listeners", preview.Stderr);
        var names = JsonNode.Parse(preview.Stdout)!["steps"]!.AsArray().Select(s => (string?)s!["name"]).ToHashSet();
        Assert.Contains("edgehub/web.yml", names);
        Assert.Contains("pushgateway/tls/server-key.pem", names);
        Assert.Contains("nats/server.pem", names);
        foreach (var (file, content) in before) Assert.Equal(content, File.ReadAllBytes(file));
        Assert.False(File.Exists(_project.PathOf(".resilience/passphrase")), "a preview made a passphrase");
        Assert.Equal(temps, Directory.GetDirectories(Path.GetTempPath(), "resilience-preview-*").Length);
    }

    [Fact]
    public void With_securityMaterial_manual_the_preview_plans_open_listeners()
    {
        _project.Replace("Pulumi.yaml", "    default: auto", "    default: manual");

        var preview = CliRunner.Run(_project.Dir, "preview", "--stack", "pc2", "--json", "--backend", $"file://{_project.PathOf("state")}");

        Assert.True(preview.ExitCode == 0, preview.ToString());
        var names = JsonNode.Parse(preview.Stdout)!["steps"]!.AsArray().Select(s => (string?)s!["name"]).ToHashSet();
        Assert.Contains("edgehub/prometheus.yml", names);
        Assert.DoesNotContain("edgehub/web.yml", names);
    }
}
