using Resilience.Model;
using Resilience.Stack;
using Resilience.Stack.Config;

namespace Resilience.Tests.Stack;

/// <summary>The dashboard as the program declares it: files in the hub's folder, the flags that serve them, its URL.</summary>
public class DashboardProgramTests
{
    private static ResourceGraph Graph(string stack, string? projectDir = null)
    {
        var dir = projectDir ?? RepoPaths.Root;
        return StackProgram.Run(StackConfig.Load(dir, stack), dir);
    }

    private static Resource File(ResourceGraph g, string name) => g.Find(Urns.For(g.Stack, "file:file", name))!;

    private static string Content(ResourceGraph g, string name) => File(g, name).Inputs["content"]!.GetValue<string>();

    private static Resource Hub(ResourceGraph g, string name) => g.Find(Urns.For(g.Stack, "docker:container", name))!;

    [Theory]
    [InlineData("mainpc", "centralhub", "http://127.0.0.2:9000/consoles/dashboard.html")]
    [InlineData("pc2", "edgehub", "http://127.0.0.3:9100/consoles/dashboard.html")]
    public void Each_hub_serves_the_page_from_its_config_folder_and_stack_output_names_it(string stack, string hub, string url)
    {
        var g = Graph(stack);
        Assert.Equal(url, g.Outputs["dashboardUrl"].Value);
        var args = Hub(g, hub).Inputs["command"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        Assert.Contains("--web.console.templates=/etc/prometheus/consoles", args);
        Assert.Contains("--web.console.libraries=/etc/prometheus/console_libraries", args);
        Assert.Single(args, a => a.StartsWith("--web.console.libraries=", StringComparison.Ordinal));
        var page = File(g, $"{hub}/consoles/dashboard.html");
        Assert.Equal(Path.Combine(RepoPaths.Root, "var", stack, hub, "consoles", "dashboard.html"), page.Inputs["path"]!.GetValue<string>());
        Assert.Equal(System.IO.File.ReadAllText(Path.Combine(RepoPaths.Root, "templates", "dashboard.html")), Content(g, $"{hub}/consoles/dashboard.html"));
        Assert.Contains("{{ define \"resilience.machine\" }}", Content(g, $"{hub}/console_libraries/dashboard.lib"));
        Assert.Contains(page.Urn, Hub(g, hub).DependsOn);
    }

    [Fact]
    public void The_rollout_stage_is_a_recording_rule_that_reloads_the_hub_when_the_week_changes()
    {
        using var project = new TempProject();
        var rules = Content(Graph("pc2", project.Dir), "edgehub/rules/dashboard.rules.yml");
        Assert.Contains("record: resilience_stack_info", rules);
        Assert.Contains("rollout_week: \"1\"", rules);
        Assert.Contains("migration_batches: \"3\"", rules);
        Assert.Contains("migrated_agents: \"3\"", rules);
        Assert.Contains("dashboard_url: \"http://127.0.0.3:9100/consoles/dashboard.html\"", rules);
        var before = Hub(Graph("pc2", project.Dir), "edgehub").Inputs["configHash"]!.GetValue<string>();

        project.Replace("Pulumi.pc2.yaml", "resilience:rolloutWeek: 1", "resilience:rolloutWeek: 2");
        var week2 = Graph("pc2", project.Dir);
        Assert.Contains("rollout_week: \"2\"", Content(week2, "edgehub/rules/dashboard.rules.yml"));
        Assert.Contains("migrated_agents: \"40\"", Content(week2, "edgehub/rules/dashboard.rules.yml"));
        Assert.NotEqual(before, Hub(week2, "edgehub").Inputs["configHash"]!.GetValue<string>());
    }

    [Fact]
    public void Each_hub_scrapes_both_runtimes_and_edgehub_forwards_none_of_its_reads_of_mainpc()
    {
        var edge = Content(Graph("pc2"), "edgehub/prometheus.yml");
        var targets = Resilience.Stack.Review.ScrapeTargets.Read(edge)!;
        Assert.Contains(new Resilience.Stack.Review.ScrapeTarget("runtime", "127.0.0.3:9095", null), targets);
        Assert.Contains(new Resilience.Stack.Review.ScrapeTarget("peer-runtime", "127.0.0.2:9095", null), targets);
        Assert.Contains(new Resilience.Stack.Review.ScrapeTarget("peer-pushgateway", "127.0.0.2:9091", null), targets);
        Assert.Contains(new Resilience.Stack.Review.ScrapeTarget("peer-federate", "127.0.0.2:9000", null), targets);
        // Every job reading MainPC is named peer-*, and remote write drops them all: CentralHub has its own.
        Assert.All(targets.Where(t => t.Address.StartsWith("127.0.0.2:", StringComparison.Ordinal)), t => Assert.StartsWith("peer-", t.Job));
        Assert.Contains("      - source_labels: [job]\n        regex: peer-.*|runtime|alertmanager\n        action: drop", edge);

        var central = Resilience.Stack.Review.ScrapeTargets.Read(Content(Graph("mainpc"), "centralhub/prometheus.yml"))!;
        Assert.Contains(new Resilience.Stack.Review.ScrapeTarget("runtime", "127.0.0.2:9095", null), central);
        Assert.Contains(new Resilience.Stack.Review.ScrapeTarget("peer-runtime", "127.0.0.3:9095", null), central);
    }
}
