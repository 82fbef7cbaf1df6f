using Resilience.Contracts.Files;
using Resilience.Providers.Files;
using Resilience.Stack;
using Resilience.Stack.Config;

namespace Resilience.IntegrationTests.Validators;

/// <summary>
/// The alert rules' unit tests (alerts.rules.test.yml beside this file) run by `promtool test rules` on the rules as
/// rendered for mainpc, and the rendered Alertmanager configs, every receiver set, pass `amtool check-config`.
/// </summary>
public sealed class AlertRuleTests : IDisposable
{
    private static readonly string RulesTest = Path.Combine(RepoPaths.Root, "tests", "Resilience.IntegrationTests", "Validators", "alerts.rules.test.yml");
    private readonly string _dir = Directory.CreateTempSubdirectory("resilience-alerts-").FullName;

    /// <summary>The rendered rules beside a copy of the test file; returns the test file's path.</summary>
    private string RulesWithTests(Func<string, string>? change = null)
    {
        var graph = StackProgram.Run(StackConfig.Load(RepoPaths.Root, "mainpc"), RepoPaths.Root);
        var rules = Secret.Reveal(graph.OfType("file:file").Single(f => f.Name == "centralhub/rules/alerts.rules.yml").Inputs["content"])!;
        File.WriteAllText(Path.Combine(_dir, "alerts.rules.yml"), change is null ? rules : change(rules));
        var test = Path.Combine(_dir, "alerts.rules.test.yml");
        File.Copy(RulesTest, test, overwrite: true);
        return test;
    }

    [Fact]
    public void Promtool_unit_tests_prove_each_alert_fires_and_stays_quiet()
    {
        var result = Tool.Run("promtool", "test", "rules", RulesWithTests());
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("SUCCESS", result.Output);
        var tested = File.ReadAllText(RulesTest);
        foreach (var alert in new[] { "HubDown", "RemoteWriteFailing", "PushgatewayDown", "NatsDown", "AgentDown", "ManyAgentsDown", "RuntimeDown",
                     "AlertmanagerDown", "Partitioned", "FailoverActive", "RuntimeOnFileBuffer", "FileBufferNotDraining", "JetStreamSourceLag" })
            Assert.Contains($"alertname: {alert}", tested);
    }

    [Fact]
    public void Promtool_unit_tests_fail_when_an_alert_loses_its_for_so_the_test_above_can_fail()
    {
        // AgentDown without `for:` fires at the first failed probe; the test expects it quiet until the for has passed.
        var test = RulesWithTests(rules => Changed(rules,
            "by (machine, agent) (resilience_agent_up{job=~\"runtime|peer-runtime\"}) == 0\n        for: 1m", "by (machine, agent) (resilience_agent_up{job=~\"runtime|peer-runtime\"}) == 0\n        for: 0s"));
        var result = Tool.Run("promtool", "test", "rules", test);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("AgentDown", result.Output);
    }

    private static string Changed(string text, string from, string to) =>
        text.Contains(from, StringComparison.Ordinal) ? text.Replace(from, to, StringComparison.Ordinal) : throw new InvalidOperationException($"'{from}' not in the rules");

    [Theory]
    [InlineData("mainpc")]
    [InlineData("pc2")]
    public void Alertmanager_config_with_every_receiver_passes_amtool(string stack)
    {
        var content = AlertmanagerConfig(stack, everyReceiver: true);
        Assert.Null(ContentValidator.Refusal(FileValidators.AlertmanagerConfig, Path.Combine(_dir, "alertmanager.yml"), content));
        foreach (var part in new[] { "webhook_configs", "slack_configs", "pagerduty_configs", "email_configs", "#incident-response", "severity: critical" })
            Assert.Contains(part, content);
    }

    [Fact]
    public void Alertmanager_config_without_receivers_notifies_nobody_and_passes_amtool()
    {
        var content = AlertmanagerConfig("pc2", everyReceiver: false);
        Assert.Null(ContentValidator.Refusal(FileValidators.AlertmanagerConfig, Path.Combine(_dir, "alertmanager.yml"), content));
        Assert.DoesNotContain("_configs:", content);
    }

    [Fact]
    public void Amtool_refuses_a_broken_config_with_its_reason_so_the_checks_above_can_fail()
    {
        var content = AlertmanagerConfig("pc2", everyReceiver: true).Replace("receiver: level-3", "receiver: level-9", StringComparison.Ordinal);
        var refusal = ContentValidator.Refusal(FileValidators.AlertmanagerConfig, Path.Combine(_dir, "alertmanager.yml"), content);
        Assert.NotNull(refusal);
        Assert.Contains("undefined receiver \"level-9\"", refusal);
    }

    private static string AlertmanagerConfig(string stack, bool everyReceiver)
    {
        var config = StackConfig.Load(RepoPaths.Root, stack);
        var settings = StackSettings.Read(new TypedConfig(config));
        if (everyReceiver)
        {
            SecretSetting Hidden(string plaintext) => new(plaintext, "v1:cipher");
            settings = settings with
            {
                Alerts = settings.Alerts with
                {
                    Receivers = settings.Alerts.Receivers with
                    {
                        Webhook = Hidden("http://127.0.0.1:9/hook?token=a\"b'c: d"),
                        Slack = Hidden("https://hooks.slack.com/services/T0/B0/x"),
                        Pagerduty = Hidden("0123456789abcdef0123456789abcdef"),
                        EmailTo = "ops@example.com",
                        SmtpSmarthost = "smtp.example.com:587",
                        SmtpUsername = "ops",
                        SmtpPassword = Hidden("p@ss: 'w\"rd"),
                    },
                },
            };
        }
        var graph = StackProgram.Build(settings, Stack.Inventory.AgentInventory.Load(Path.Combine(RepoPaths.Root, "stacks", "agents.yaml")),
            new Stack.Rendering.TemplateRenderer(Path.Combine(RepoPaths.Root, "templates")), RepoPaths.Root,
            runtimeSources: "sha256:" + new string('0', 64), fleetSources: "sha256:" + new string('1', 64));
        var file = graph.OfType("file:file").Single(f => f.Name == "alertmanager/alertmanager.yml");
        Assert.Equal(everyReceiver ? "0600" : "0644", file.Inputs["mode"]!.GetValue<string>());
        return Secret.Reveal(file.Inputs["content"])!;
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
