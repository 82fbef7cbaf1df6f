using Resilience.Model;
using Resilience.Stack;
using Resilience.Stack.Config;

namespace Resilience.Tests.Stack;

/// <summary>Week 0, the Phase 1 configuration level 3 rolls back to: every agent on CentralHub only, Phase 2 services gone, their data kept.</summary>
public class Phase1ProgramTests
{
    private static ResourceGraph Graph(string stack, int week) => StackProgram.Run(StackConfig.Load(RepoPaths.Root, stack), RepoPaths.Root, week);

    private static List<string> Names(ResourceGraph g, string type) => g.OfType(type).Select(r => r.Name).Order(StringComparer.Ordinal).ToList();

    private static List<Resource> AgentFiles(ResourceGraph g) =>
        g.OfType("file:file").Where(f => f.Name.StartsWith("agents/", StringComparison.Ordinal)).ToList();

    [Fact]
    public void Pc2_in_phase_1_runs_only_its_agents_and_keeps_every_data_volume()
    {
        var week1 = Graph("pc2", 1);
        var phase1 = Graph("pc2", 0);

        Assert.Equal(["demo-fleet"], Names(phase1, "docker:container"));
        Assert.Equal(Names(week1, "docker:volume"), Names(phase1, "docker:volume"));
        Assert.DoesNotContain(phase1.Resources, r => r.Type.StartsWith("jetstream:", StringComparison.Ordinal));
        Assert.Equal(Names(week1, "docker:image"), Names(phase1, "docker:image"));
        Assert.Equal("0", phase1.Outputs["rolloutWeek"].Value);
    }

    [Fact]
    public void Mainpc_in_phase_1_keeps_centralhub_and_its_pushgateway_and_drops_nats_and_the_runtime()
    {
        var week1 = Graph("mainpc", 1);
        var phase1 = Graph("mainpc", 0);

        Assert.Equal(["centralhub", "demo-fleet", "pushgateway"], Names(phase1, "docker:container"));
        Assert.Contains("nats", Names(week1, "docker:container"));
        Assert.Equal(Names(week1, "docker:volume"), Names(phase1, "docker:volume"));
        // CentralHub scrapes every MainPC agent directly, as from week 1.
        var config = phase1.Find(Urns.For("mainpc", "file:file", "centralhub/prometheus.yml"))!.Inputs["content"]!.GetValue<string>();
        Assert.Equal(37, config.Split('\n').Count(l => l.TrimStart().StartsWith("agent: ", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("pc2", 40)]
    [InlineData("mainpc", 37)]
    public void Every_agent_gets_a_file_naming_centralhub_only_and_pushing_to_mainpcs_pushgateway(string stack, int agents)
    {
        var files = AgentFiles(Graph(stack, 0));

        Assert.Equal(agents, files.Count);
        foreach (var file in files)
        {
            var content = file.Inputs["content"]!.GetValue<string>();
            Assert.Contains("push_target: \"http://127.0.0.2:9091/metrics/job/", content);
            Assert.Contains("primary: \"http://127.0.0.2:9000\"", content);
            Assert.DoesNotContain("127.0.0.3:9100", content); // EdgeHub
            Assert.DoesNotContain("9095", content);           // a runtime
            Assert.DoesNotContain("nats://", content);
            Assert.Equal("restore", file.Inputs["takeover"]!.GetValue<string>());
        }
        Assert.Equal(agents, Graph(stack, 0).OfType("command:agent-restart").Count());
    }

    [Fact]
    public void Streams_and_consumers_are_retained_so_stopping_nats_keeps_their_data_and_agent_files_keep_originals()
    {
        var week1 = Graph("pc2", 1);
        var jetstream = week1.Resources.Where(r => r.Type.StartsWith("jetstream:", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(jetstream);
        Assert.All(jetstream, r => Assert.True(r.Options.RetainOnDelete, r.Urn));
        Assert.All(AgentFiles(week1), f => Assert.Equal("keep", f.Inputs["takeover"]!.GetValue<string>()));
        Assert.DoesNotContain(week1.OfType("docker:volume"), v => v.Options.RetainOnDelete);
    }
}
