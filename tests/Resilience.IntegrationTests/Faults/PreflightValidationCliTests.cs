
namespace Resilience.IntegrationTests.Faults;

/// <summary>A rendered config its service would refuse is stopped by the service's own checker before anything is written.</summary>
public sealed class PreflightValidationCliTests
{
    private const string EdgeConfigUrn = "urn:resilience:pc2::file:file::edgehub/prometheus.yml";

    [Fact]
    public void A_prometheus_config_promtool_refuses_fails_preview_and_up_naming_file_message_and_template_and_is_not_written()
    {
        using var p = new TempProject().KeepListenersOpen();
        var applied = CliRunner.Run(p.Dir, "up", "--stack", "pc2", "--yes", "--target", EdgeConfigUrn);
        Assert.True(applied.ExitCode == 0, applied.ToString());
        var config = p.PathOf("var/pc2/edgehub/prometheus.yml");
        var before = File.ReadAllText(config);

        // Valid YAML and valid Scriban; Prometheus refuses a scrape timeout above the scrape interval.
        p.Replace("templates/prometheus-edge.yml.sbn", "  scrape_interval: {{ scrape_interval }}\n",
            "  scrape_interval: {{ scrape_interval }}\n  scrape_timeout: 1m\n");
        foreach (var command in new[] { new[] { "preview", "--stack", "pc2" }, ["up", "--stack", "pc2", "--yes"], ["up", "--stack", "pc2", "--yes", "--target", EdgeConfigUrn] })
        {
            var refused = CliRunner.Run(p.Dir, command);
            Assert.True(refused.ExitCode == 2, refused.ToString());
            Assert.Contains($"{config} (rendered from templates/prometheus-edge.yml.sbn) refused by promtool:", refused.Stderr);
            Assert.Contains("global scrape timeout greater than scrape interval", refused.Stderr);
            Assert.DoesNotContain("resilience-check-", refused.Stderr);
            Assert.Equal(before, File.ReadAllText(config));
        }
    }
}
