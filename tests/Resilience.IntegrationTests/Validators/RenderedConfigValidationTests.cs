using Resilience.Stack;
using Resilience.Stack.Config;

namespace Resilience.IntegrationTests.Validators;

/// <summary>Every rendered Prometheus and NATS config, for both stacks and all weeks, passes the real tools.</summary>
public sealed class RenderedConfigValidationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("resilience-validate-").FullName;

    public static TheoryData<string, int> StacksAndWeeks()
    {
        var data = new TheoryData<string, int>();
        foreach (var stack in new[] { "mainpc", "pc2" })
            for (var week = 1; week <= 4; week++) data.Add(stack, week);
        return data;
    }

    /// <summary>Writes the stack's files under a temp dir, keeping their layout, and returns that dir.</summary>
    private string Render(string stack, int week)
    {
        var graph = StackProgram.Run(StackConfig.Load(RepoPaths.Root, stack), RepoPaths.Root, week);
        var root = Path.Combine(_dir, $"{stack}-{week}");
        var hostDir = Path.GetFullPath(Path.Combine(RepoPaths.Root, "var", stack));
        foreach (var file in graph.OfType("file:file"))
        {
            var target = Path.Combine(root, Path.GetRelativePath(hostDir, file.Inputs["path"]!.GetValue<string>()));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllText(target, Secret.Reveal(file.Inputs["content"]));
        }
        return root;
    }

    [Theory]
    [MemberData(nameof(StacksAndWeeks))]
    public void Prometheus_config_and_rules_pass_promtool(string stack, int week)
    {
        var root = Render(stack, week);
        var hub = stack == "mainpc" ? "centralhub" : "edgehub";
        var config = Tool.Run("promtool", "check", "config", Path.Combine(root, hub, "prometheus.yml"));
        Assert.True(config.ExitCode == 0, config.ToString());
        Assert.Contains("SUCCESS", config.Output);
        var rules = Tool.Run("promtool", "check", "rules", Path.Combine(root, hub, "rules", "alerts.rules.yml"));
        Assert.True(rules.ExitCode == 0, rules.ToString());
        Assert.Contains("13 rules found", rules.Output);
    }

    [Theory]
    [MemberData(nameof(StacksAndWeeks))]
    public void Nats_config_passes_nats_server_t(string stack, int week)
    {
        var root = Render(stack, week);
        var result = Tool.Run("nats-server", "-t", "-c", Path.Combine(root, "nats", "nats.conf"));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("is valid", result.Output);
    }

    // A base64-like password with what JSON escapes as \uXXXX (which nats-server refuses), quotes, a backslash, '$'.
    private const string HardPassword = "kV9+x/Qz='<>&\"é$HOME\\";

    [Theory]
    [InlineData("mainpc", "three-node", "p@ss:w/rd")]
    [InlineData("pc2", "three-node", "p@ss:w/rd")]
    [InlineData("witness", "three-node", "p@ss:w/rd")]
    [InlineData("mainpc", "two-node", "p@ss:w/rd")]
    [InlineData("pc2", "two-node", "p@ss:w/rd")]
    [InlineData("mainpc", "leafnode", HardPassword)]
    [InlineData("pc2", "leafnode", HardPassword)]
    [InlineData("pc2", "three-node", HardPassword)]
    public void Nats_configs_with_credentials_pass_nats_server_t(string stack, string topology, string password)
    {
        using var project = new TempProject();
        project.Replace("Pulumi.yaml", "    default: leafnode", $"    default: {topology}");
        var config = StackConfig.Load(project.Dir, stack);
        var settings = StackSettings.Read(new TypedConfig(config)) with { NatsPassword = password };
        var graph = StackProgram.Build(settings, Stack.Inventory.AgentInventory.Load(project.PathOf("stacks/agents.yaml")),
            new Stack.Rendering.TemplateRenderer(project.PathOf("templates")), project.Dir, runtimeSources: "sha256:" + new string('0', 64), fleetSources: "sha256:" + new string('1', 64));
        var file = graph.OfType("file:file").Single(f => f.Name == "nats/nats.conf");
        var path = Path.Combine(_dir, $"{stack}-{topology}.conf");
        File.WriteAllText(path, Secret.Reveal(file.Inputs["content"]));
        var result = Tool.Run("nats-server", "-t", "-c", path);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("is valid", result.Output);
        if (topology != "leafnode") Assert.Contains($"nats-route://resilience:{Uri.EscapeDataString(password)}@", File.ReadAllText(path));
        // The restart hash in plain state and in a container label is not a hash of the file holding the password.
        var plain = string.Join("\n", graph.Resources.Select(r => r.Inputs.ToJsonString()));
        Assert.DoesNotContain(Stack.Components.StackBuilder.Hash([File.ReadAllText(path)]), plain);
    }

    [Fact]
    public void In_a_bridge_network_the_hub_advertises_its_machine_address_to_the_leaf()
    {
        using var project = new TempProject();
        project.Append("Pulumi.mainpc.yaml", "  resilience:network: bridge\n");
        var settings = StackSettings.Read(new TypedConfig(StackConfig.Load(project.Dir, "mainpc")));
        var graph = StackProgram.Build(settings, Stack.Inventory.AgentInventory.Load(project.PathOf("stacks/agents.yaml")),
            new Stack.Rendering.TemplateRenderer(project.PathOf("templates")), project.Dir, runtimeSources: "sha256:" + new string('0', 64), fleetSources: "sha256:" + new string('1', 64));
        var path = Path.Combine(_dir, "mainpc-bridge.conf");
        File.WriteAllText(path, Secret.Reveal(graph.OfType("file:file").Single(f => f.Name == "nats/nats.conf").Inputs["content"]));
        var result = Tool.Run("nats-server", "-t", "-c", path);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"advertise: \"{settings.This.Address}:{settings.NatsLeafPort}\"", File.ReadAllText(path));
    }

    [Fact]
    public void Promtool_rejects_a_broken_config_so_the_checks_above_can_fail()
    {
        var root = Render("pc2", 1);
        var path = Path.Combine(root, "edgehub", "prometheus.yml");
        File.WriteAllText(path, File.ReadAllText(path).Replace("honor_labels", "honour_labels"));
        var result = Tool.Run("promtool", "check", "config", path);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("honour_labels", result.Output);
    }

    [Fact]
    public void Promtool_unit_test_proves_HubDown_fires_when_the_peer_hub_stops_answering()
    {
        var root = Render("mainpc", 1);
        var test = Path.Combine(root, "centralhub", "hub_down.test.yml");
        File.WriteAllText(test, """
            rule_files:
              - rules/alerts.rules.yml
            evaluation_interval: 30s
            tests:
              - interval: 30s
                input_series:
                  - series: 'up{job="peer-hub", instance="127.0.0.3:9100", machine="pc2"}'
                    values: '1 1 0 0 0 0 0'
                alert_rule_test:
                  - eval_time: 1m
                    alertname: HubDown
                    exp_alerts: []
                  - eval_time: 3m
                    alertname: HubDown
                    exp_alerts:
                      - exp_labels:
                          severity: critical
                          level: "2"
                          scope: cross-machine
                          job: peer-hub
                          instance: 127.0.0.3:9100
                          machine: pc2
                        exp_annotations:
                          summary: "The pc2 hub (127.0.0.3:9100) is not answering scrapes from mainpc"
                          runbook: "Agents of pc2 keep pushing: its runtime fails over to mainpc's hub. Check `docker ps -a` and `docker logs` of the hub container on pc2, then `./resilience up --stack pc2`."
            """);
        var result = Tool.Run("promtool", "test", "rules", test);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("SUCCESS", result.Output);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
