using Resilience.Model;
using Resilience.Stack;
using Resilience.Stack.Config;

namespace Resilience.Tests.Stack;

/// <summary>The program run for a stack and week, asserting on the recorded resources and their inputs.</summary>
public class StackProgramTests
{
    private static ResourceGraph Graph(string stack, int? week = null, string? projectDir = null)
    {
        var dir = projectDir ?? RepoPaths.Root;
        return StackProgram.Run(StackConfig.Load(dir, stack), dir, week);
    }

    private static List<Resource> AgentConfigs(ResourceGraph g) =>
        g.OfType("file:file").Where(f => f.Name.StartsWith("agents/", StringComparison.Ordinal)).ToList();

    private static string Content(ResourceGraph g, string name) =>
        g.Find(Urns.For(g.Stack, "file:file", name))!.Inputs["content"]!.GetValue<string>();

    private static Resource Container(ResourceGraph g, string name) => g.Find(Urns.For(g.Stack, "docker:container", name))!;

    [Fact]
    public void Pc2_week1_has_exactly_the_three_pilot_agent_configs()
    {
        var names = AgentConfigs(Graph("pc2", 1)).Select(f => f.Name).Order().ToList();
        Assert.Equal(["agents/observability_hub.yaml", "agents/resource_manager.yaml", "agents/unified_utils_agent.yaml"], names);
    }

    [Fact]
    public void Pc2_week2_adds_the_batches_and_the_count_follows_migrationBatches()
    {
        using var project = new TempProject();
        Assert.Equal(40, AgentConfigs(Graph("pc2", 2, project.Dir)).Count);
        project.Replace("Pulumi.pc2.yaml", "resilience:migrationBatches: 3", "resilience:migrationBatches: 1");
        Assert.Equal(10, AgentConfigs(Graph("pc2", 2, project.Dir)).Count);
        project.Replace("Pulumi.pc2.yaml", "resilience:migrationBatches: 1", "resilience:migrationBatches: 2");
        Assert.Equal(25, AgentConfigs(Graph("pc2", 2, project.Dir)).Count);
    }

    [Fact]
    public void Mainpc_gets_agent_configs_only_from_week3_and_they_are_tiered()
    {
        Assert.Empty(AgentConfigs(Graph("mainpc", 1)));
        Assert.Empty(AgentConfigs(Graph("mainpc", 2)));
        var week3 = Graph("mainpc", 3);
        Assert.Equal(37, AgentConfigs(week3).Count);
        var critical = Content(week3, "agents/model_manager_agent.yaml");
        Assert.Contains("primary: \"http://127.0.0.2:9000\"", critical);
        Assert.Contains("secondary: \"http://127.0.0.3:9100\"", critical);
        Assert.Contains("tertiary: \"http://127.0.0.2:9091\"", critical);
        Assert.Contains("  - secondary", critical); // critical agents push to both hubs
        var plain = Content(week3, "agents/main_pc_agent20.yaml");
        Assert.Contains("tertiary:", plain);
        Assert.DoesNotContain("  - secondary", plain);
        Assert.Equal(AgentConfigs(week3).Select(f => f.Name), AgentConfigs(Graph("mainpc", 4)).Select(f => f.Name));
    }

    [Fact]
    public void Pilot_config_uses_the_seeds_fields_with_edgehub_primary()
    {
        var text = Content(Graph("pc2", 1), "agents/observability_hub.yaml");
        foreach (var field in new[] { "hub_endpoints:", "primary: \"http://127.0.0.3:9100\"", "fallback: \"http://127.0.0.2:9000\"",
                     "pushgateway: \"http://127.0.0.3:9091\"", "health_check_interval: 30", "max_retries: 3", "failover_threshold: 3",
                     "recovery_timeout: 300", "nats_url: \"nats://127.0.0.3:4223\"", "health_subject:", "metrics_subject: \"observability.metrics.pc2\"" })
        {
            Assert.Contains(field, text);
        }
    }

    [Fact]
    public void Edgehub_publishes_9100_scrapes_every_15s_and_remote_writes_to_centralhub()
    {
        var g = Graph("pc2");
        var edge = Container(g, "edgehub");
        Assert.Contains("--web.listen-address=127.0.0.3:9100", edge.Inputs["command"]!.AsArray().Select(a => a!.GetValue<string>()));
        var config = Content(g, "edgehub/prometheus.yml");
        Assert.Contains("scrape_interval: 15s", config);
        Assert.Contains("url: http://127.0.0.2:9000/api/v1/write", config);
        Assert.Contains("honor_labels: true", config);
        Assert.Equal("http://127.0.0.3:9100", g.Outputs["edgeHubUrl"].Value);
    }

    [Fact]
    public void Centralhub_scrapes_every_30s_never_scrapes_pc2_directly_and_receives_remote_write()
    {
        var g = Graph("mainpc");
        var config = Content(g, "centralhub/prometheus.yml");
        Assert.Contains("scrape_interval: 30s", config);
        // PC2's Pushgateway reaches CentralHub only through EdgeHub: CentralHub's one scrape of it (for the dashboard's
        // "unreachable") keeps no sample of it, only the `up` Prometheus records itself.
        var pc2Pushgateway = Resilience.Stack.Review.ScrapeTargets.Read(config)!.Where(t => t.Address == "127.0.0.3:9091").ToList();
        Assert.Equal("peer-pushgateway", Assert.Single(pc2Pushgateway).Job);
        var job = config[config.IndexOf("- job_name: peer-pushgateway", StringComparison.Ordinal)..];
        job = job[..(job.IndexOf("\n\n", StringComparison.Ordinal) is var end and >= 0 ? end : job.Length)];
        Assert.Contains("metric_relabel_configs:\n      - source_labels: [__name__]\n        regex: .+\n        action: drop", job);
        Assert.DoesNotContain("remote_write", config);
        var args = Container(g, "centralhub").Inputs["command"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        Assert.Contains("--web.enable-remote-write-receiver", args);
        Assert.Contains("--web.listen-address=127.0.0.2:9000", args);
    }

    [Fact]
    public void Bridge_mode_publishes_edgehub_9100_to_9090_inside()
    {
        using var project = new TempProject();
        project.Append("Pulumi.pc2.yaml", "  resilience:network: bridge\n");
        var g = Graph("pc2", projectDir: project.Dir);
        var port = Container(g, "edgehub").Inputs["ports"]!.AsArray().Single()!;
        Assert.Equal(9100, port["host"]!.GetValue<int>());
        Assert.Equal(9090, port["container"]!.GetValue<int>());
        Assert.Single(g.OfType("docker:network"));
    }

    [Fact]
    public void Nats_ports_differ_per_machine_and_pc2_leafs_to_mainpc()
    {
        var main = Content(Graph("mainpc"), "nats/nats.conf");
        var pc2 = Content(Graph("pc2"), "nats/nats.conf");
        Assert.Contains("listen: 127.0.0.2:4222", main);
        Assert.Contains("http: 127.0.0.2:8222", main);
        Assert.Contains("listen: 127.0.0.2:7422", main);
        Assert.Contains("listen: 127.0.0.3:4223", pc2);
        Assert.Contains("http: 127.0.0.3:8223", pc2);
        Assert.Contains("nats-leaf://127.0.0.2:7422", pc2);
        Assert.Contains("deny_imports: [\"observability.>\"]", pc2);
    }

    [Fact]
    public void Streams_and_consumers_are_the_seeds_with_mainpc_sourcing_pc2()
    {
        var main = Graph("mainpc");
        var streams = main.OfType("jetstream:stream").ToDictionary(s => s.Name);
        Assert.Equal(["observability-alerts", "observability-health", "observability-metrics"], streams.Keys.Order());
        Assert.Equal("24h", streams["observability-metrics"].Inputs["maxAge"]!.GetValue<string>());
        Assert.Equal("24h", streams["observability-health"].Inputs["maxAge"]!.GetValue<string>());
        Assert.Equal("168h", streams["observability-alerts"].Inputs["maxAge"]!.GetValue<string>());
        Assert.All(streams.Values, s => Assert.Equal("pc2", s.Inputs["sources"]![0]!["domain"]!.GetValue<string>()));
        var consumers = main.OfType("jetstream:consumer").Concat(Graph("pc2").OfType("jetstream:consumer")).Select(c => c.Name).ToHashSet();
        Assert.Equal(["observability-health-monitor", "observability-health-peer", "observability-metrics-centralhub", "observability-metrics-edgehub"], consumers.Order());
    }

    [Fact]
    public void Resources_carry_their_dependencies()
    {
        var g = Graph("pc2", 2);
        var edge = Container(g, "edgehub");
        Assert.Contains(Urns.For("pc2", "docker:image", "prometheus"), edge.DependsOn);
        Assert.Contains(Urns.For("pc2", "file:file", "edgehub/prometheus.yml"), edge.DependsOn);
        Assert.All(AgentConfigs(g), f => Assert.Contains(edge.Urn, f.DependsOn));
        Assert.All(g.OfType("jetstream:stream"), s => Assert.Contains(Urns.For("pc2", "docker:container", "nats"), s.DependsOn));
    }

    [Fact]
    public void Registry_images_are_pinned_and_local_images_build_from_debian_binaries()
    {
        var local = Graph("pc2").Find(Urns.For("pc2", "docker:image", "prometheus"))!;
        Assert.Equal("local", local.Inputs["source"]!.GetValue<string>());
        Assert.Equal("/usr/bin/prometheus", local.Inputs["build"]!["files"]![0]!["from"]!.GetValue<string>());
        using var project = new TempProject();
        project.Append("Pulumi.pc2.yaml", "  resilience:imageSource: registry\n");
        var registry = Graph("pc2", projectDir: project.Dir).Find(Urns.For("pc2", "docker:image", "prometheus"))!;
        Assert.Equal("prom/prometheus:v2.42.0", registry.Inputs["name"]!.GetValue<string>());
    }

    [Fact]
    public void The_same_inputs_give_the_same_graph()
    {
        static string Dump(ResourceGraph g) => string.Join("\n", g.Order.Select(r => r.Urn + r.Inputs.ToJsonString()));
        Assert.Equal(Dump(Graph("pc2", 2)), Dump(Graph("pc2", 2)));
    }
}
