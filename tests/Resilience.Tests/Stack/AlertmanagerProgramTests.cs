using System.Text.Json.Nodes;
using Resilience.Model;
using Resilience.Stack;
using Resilience.Stack.Components;
using Resilience.Stack.Config;

namespace Resilience.Tests.Stack;

/// <summary>The Alertmanagers in the program's graph: one per machine, clustered, both hubs sending to both, receivers secret.</summary>
public class AlertmanagerProgramTests
{
    private const string ConfigFile = "alertmanager/alertmanager.yml";
    private const string Webhook = "https://hooks.example.com/alerts/T0KEN-5ecret";

    private static ResourceGraph Graph(string stack, string? projectDir = null, Func<ConfigValue, string>? decrypt = null)
    {
        var dir = projectDir ?? RepoPaths.Root;
        return StackProgram.Run(StackConfig.Load(dir, stack), dir, decrypt: decrypt);
    }

    private static Resource Find(ResourceGraph g, string type, string name) =>
        g.Find(Urns.For(g.Stack, type, name)) ?? throw new InvalidOperationException($"{g.Stack} has no {type} {name}");

    private static List<string> Command(Resource container) => [.. container.Inputs["command"]!.AsArray().Select(a => (string)a!)];

    [Theory]
    [InlineData("mainpc", "127.0.0.2", "127.0.0.3")]
    [InlineData("pc2", "127.0.0.3", "127.0.0.2")]
    public void Each_machine_runs_an_alertmanager_that_peers_with_the_others(string stack, string address, string peer)
    {
        var g = Graph(stack);
        var container = Find(g, "docker:container", "alertmanager");
        var command = Command(container);
        Assert.Contains($"--web.listen-address={address}:9093", command);
        Assert.Contains($"--cluster.listen-address={address}:9094", command);
        Assert.Contains($"--cluster.advertise-address={address}:9094", command);
        Assert.Contains($"--cluster.peer={peer}:9094", command);
        Assert.Contains("--cluster.peer-timeout=15s", command);
        Assert.Equal($"http://{address}:9093", g.Outputs["alertmanagerUrl"].Value);
        Assert.Contains(Urns.For(stack, "docker:volume", "alertmanager-data"), container.DependsOn);
        var file = Find(g, "file:file", ConfigFile);
        // No receiver secret set: nothing secret in it, so a plain file (a stack without a passphrase can refresh it).
        Assert.Equal("0644", (string?)file.Inputs["mode"]);
        Assert.False(Secret.Contains(file.Inputs));
        Assert.Equal("amtool-config", (string?)file.Inputs["validate"]);
        Assert.Equal("resilience-" + stack + "/alertmanager:0.25.0-debian", (string?)container.Inputs["image"]);
    }

    [Theory]
    [InlineData("mainpc", "centralhub/prometheus.yml")]
    [InlineData("pc2", "edgehub/prometheus.yml")]
    public void Both_hubs_send_to_both_alertmanagers_and_scrape_what_the_alerts_need(string stack, string config)
    {
        var text = Secret.Reveal(Find(Graph(stack), "file:file", config).Inputs["content"])!;
        var self = stack == "mainpc" ? "127.0.0.2" : "127.0.0.3";
        var peer = stack == "mainpc" ? "127.0.0.3" : "127.0.0.2";
        Assert.Contains($"- targets: [\"{self}:9093\", \"{peer}:9093\"]", text);
        foreach (var job in new[] { "runtime", "alertmanager", "peer-runtime", "peer-alertmanager" })
            Assert.Contains($"- job_name: {job}\n", text);
        Assert.Contains($"- targets: [\"{self}:9095\"]", text);
        Assert.Contains($"- targets: [\"{peer}:9095\"]", text);
    }

    [Fact]
    public void Edgehub_keeps_its_views_of_the_other_machine_out_of_its_remote_write()
    {
        var text = Secret.Reveal(Find(Graph("pc2"), "file:file", "edgehub/prometheus.yml").Inputs["content"])!;
        Assert.Contains("regex: peer-.*|runtime|alertmanager\n        action: drop", text);
    }

    [Fact]
    public void Edgehub_keeps_its_alert_series_out_of_its_remote_write_as_centralhub_evaluates_the_same_rules()
    {
        var text = Secret.Reveal(Find(Graph("pc2"), "file:file", "edgehub/prometheus.yml").Inputs["content"])!;
        // Two writers of one ALERTS_FOR_STATE series: CentralHub refuses EdgeHub's batch (400) and it is dropped whole
        // (measured: a pushed sample lost in RotationUnderLoadTests).
        Assert.Contains("      - source_labels: [__name__]\n        regex: ALERTS|ALERTS_FOR_STATE\n        action: drop", text);
        static IEnumerable<string> Alerts(ResourceGraph g, string hub) =>
            Secret.Reveal(Find(g, "file:file", $"{hub}/rules/alerts.rules.yml").Inputs["content"])!.Split('\n')
                .Select(l => l.Trim()).Where(l => l.StartsWith("- alert: ", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        var onEdge = Alerts(Graph("pc2"), "edgehub").ToList();
        Assert.NotEmpty(onEdge);
        Assert.Equal(onEdge, Alerts(Graph("mainpc"), "centralhub"));
    }

    [Fact]
    public void Without_receiver_secrets_every_level_notifies_nobody()
    {
        var text = Secret.Reveal(Find(Graph("pc2"), "file:file", ConfigFile).Inputs["content"])!;
        foreach (var level in new[] { 1, 2, 3 })
        {
            Assert.Contains($"- matchers: ['level=\"{level}\"']\n      receiver: level-{level}", text);
            Assert.Contains($"  - name: level-{level}\n", text);
        }
        Assert.DoesNotContain("_configs:", text);
    }

    [Fact]
    public void The_webhook_secret_is_in_the_secret_file_only_and_the_reload_hash_is_not_of_its_plaintext()
    {
        using var project = new TempProject();
        project.Append("Pulumi.pc2.yaml", "  resilience:alertWebhookUrl:\n    secure: v1:not-used-here\n");
        var g = Graph("pc2", project.Dir, decrypt: _ => Webhook);
        var file = Find(g, "file:file", ConfigFile);
        var content = Secret.Reveal(file.Inputs["content"])!;
        Assert.Equal(3, content.Split($"- url: \"{Webhook}\"").Length - 1);
        Assert.True(Secret.Contains(file.Inputs));
        Assert.Equal("0600", (string?)file.Inputs["mode"]);
        // Nothing but the secret file's content holds it: not a container's inputs, an output, another file.
        var plain = string.Join("\n", g.Resources.Where(r => r != file).Select(r => r.Inputs.ToJsonString()))
            + string.Join("\n", g.Outputs.Values.Select(o => o.Value));
        Assert.DoesNotContain(Webhook, plain);
        Assert.DoesNotContain(StackBuilder.Hash([content]), plain);
        var unset = Find(Graph("pc2"), "docker:container", "alertmanager").Inputs["configHash"]!.ToString();
        Assert.NotEqual(unset, Find(g, "docker:container", "alertmanager").Inputs["configHash"]!.ToString());
    }

    [Fact]
    public void A_receiver_url_in_plain_text_is_refused_naming_the_key()
    {
        using var project = new TempProject();
        project.Append("Pulumi.pc2.yaml", $"  resilience:alertWebhookUrl: {Webhook}\n");
        var e = Assert.Throws<ConfigException>(() => Graph("pc2", project.Dir));
        Assert.Contains("alertWebhookUrl", e.Where);
        Assert.Contains("must be a secret", e.Problem);
    }

    [Fact]
    public void A_secret_webhook_that_is_not_a_url_is_refused_without_showing_it()
    {
        using var project = new TempProject();
        project.Append("Pulumi.pc2.yaml", "  resilience:alertWebhookUrl:\n    secure: v1:not-used-here\n");
        var e = Assert.Throws<ConfigException>(() => Graph("pc2", project.Dir, decrypt: _ => "hooks.example.com/T0KEN-5ecret"));
        Assert.Contains("alertWebhookUrl", e.Where);
        Assert.Contains("not an absolute http(s) URL", e.Problem);
        Assert.DoesNotContain("T0KEN", e.Message);
    }

    [Fact]
    public void An_alertmanager_port_another_service_claims_is_refused_naming_the_key()
    {
        using var project = new TempProject();
        project.Append("Pulumi.pc2.yaml", "  resilience:alertmanagerClusterPort: 9095\n");
        var e = Assert.Throws<ConfigException>(() => Graph("pc2", project.Dir));
        Assert.Contains("host port 9095 on 127.0.0.2 is claimed twice", e.Problem);
        Assert.Contains("resilience:alertmanagerClusterPort", e.Problem);
    }
}
