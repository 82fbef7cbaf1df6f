using Resilience.DemoFleet.Contracts;
using Resilience.Model;
using Resilience.Stack;
using Resilience.Stack.Config;
using Resilience.Stack.Inventory;

namespace Resilience.Tests.Stack;

/// <summary>The demo fleet in the program's graph: only when the stack says so, every agent of the machine, its ports claimed.</summary>
public class DemoFleetProgramTests
{
    private const string ConfigFile = "fleet/fleet.yaml";

    private static ResourceGraph Graph(string dir, string stack) => StackProgram.Run(StackConfig.Load(dir, stack), dir);

    private static Resource? Container(ResourceGraph g) => g.Find(Urns.For(g.Stack, "docker:container", "demo-fleet"));

    private static FleetConfig Config(ResourceGraph g)
    {
        var file = g.Find(Urns.For(g.Stack, "file:file", ConfigFile)) ?? throw new InvalidOperationException($"{g.Stack} has no {ConfigFile}");
        return FleetConfigYaml.Parse(Secret.Reveal(file.Inputs["content"])!, $"{g.Stack}/{ConfigFile}");
    }

    [Theory]
    [InlineData("pc2", "127.0.0.3", 40)]
    [InlineData("mainpc", "127.0.0.2", 37)]
    public void The_committed_demo_stacks_serve_every_agent_of_their_machine_on_its_port(string stack, string address, int count)
    {
        var g = Graph(RepoPaths.Root, stack);
        var config = Config(g);
        var inventory = AgentInventory.Load(Path.Combine(RepoPaths.Root, "stacks", "agents.yaml")).On(stack).ToList();
        Assert.Equal(count, config.Agents.Count);
        Assert.Equal(inventory.Select(a => (a.Name, a.Port, a.HealthPath, a.MetricsPath)),
            config.Agents.Select(a => (a.Name, a.Port, a.HealthPath, a.MetricsPath)));
        // Migrated or not: a Phase-1 agent's file is simply absent until its wave writes it.
        Assert.Equal(inventory.Select(a => $"/etc/resilience/agents/{a.ConfigFileName}"), config.Agents.Select(a => a.AgentFile));
        Assert.Equal(address, config.Address);
        Assert.Equal(9190, config.ControlPort);
        Assert.Equal(TimeSpan.FromSeconds(5), config.PushPeriod);

        var container = Container(g)!;
        Assert.Equal("host", container.Inputs["networkMode"]!.GetValue<string>());
        Assert.Equal($"http://{address}:9190/healthz", container.Inputs["ready"]!["url"]!.GetValue<string>());
        Assert.Equal("restart", container.Inputs["reload"]!["kind"]!.GetValue<string>());
        Assert.Equal(["--config", "/etc/resilience/fleet/fleet.yaml"], container.Inputs["command"]!.AsArray().Select(a => a!.GetValue<string>()));
        var mount = Assert.Single(container.Inputs["mounts"]!.AsArray());
        Assert.True(mount!["readOnly"]!.GetValue<bool>());
        Assert.Equal("/etc/resilience", mount["target"]!.GetValue<string>());
        Assert.Contains(Urns.For(stack, "file:file", ConfigFile), container.DependsOn);
        Assert.Contains(Urns.For(stack, "docker:container", "runtime"), container.DependsOn);
        // The agent files exist before the fleet reads them.
        foreach (var file in g.Resources.Where(r => r.Type == "file:file" && r.Name.StartsWith("agents/", StringComparison.Ordinal)))
            Assert.Contains(file.Urn, container.DependsOn);
        Assert.Equal($"http://{address}:9190", g.Outputs["demoFleetControlUrl"].Value);
        Assert.Contains(g.Resources, r => r.Type == "dotnet:publish" && r.Name == "demo-fleet");
    }

    [Fact]
    public void A_stack_without_demoFleet_declares_nothing_of_it()
    {
        using var p = new TempProject();
        p.Replace("Pulumi.pc2.yaml", "resilience:demoFleet: true", "resilience:demoFleet: false");
        var g = Graph(p.Dir, "pc2");
        Assert.DoesNotContain(g.Resources, r => r.Name.Contains("demo-fleet", StringComparison.Ordinal) || r.Name.StartsWith("fleet/", StringComparison.Ordinal));
        Assert.False(g.Outputs.ContainsKey("demoFleetControlUrl"));
        // The default is off: a production stack's agents are its own processes.
        p.Replace("Pulumi.pc2.yaml", "  resilience:demoFleet: false\n", "");
        Assert.Null(Container(Graph(p.Dir, "pc2")));
    }

    [Fact]
    public void An_agent_on_the_control_port_is_refused_naming_its_inventory_line_and_the_key()
    {
        using var p = new TempProject();
        p.Replace("stacks/agents.yaml", "{name: ResourceManager, machine: pc2, port: 7113", "{name: ResourceManager, machine: pc2, port: 9190");
        var e = Assert.Throws<ConfigException>(() => Graph(p.Dir, "pc2"));
        Assert.EndsWith("stacks/agents.yaml", e.File);
        Assert.EndsWith("ResourceManager.port", e.Where);
        Assert.Equal("host port 9190 on 127.0.0.3 is claimed twice: by this agent and by resilience:demoFleetControlPort (pc2)", e.Problem);
    }

    [Fact]
    public void A_control_port_on_a_service_port_is_refused_naming_both_keys()
    {
        using var p = new TempProject();
        p.Append("Pulumi.mainpc.yaml", "  resilience:demoFleetControlPort: 9095\n");
        var e = Assert.Throws<ConfigException>(() => Graph(p.Dir, "mainpc"));
        Assert.EndsWith("Pulumi.mainpc.yaml", e.File);
        Assert.Contains("host port 9095 on 127.0.0.2 is claimed twice: resilience:runtimePort (mainpc) and resilience:demoFleetControlPort (mainpc)", e.Problem);
    }

    [Fact]
    public void A_push_period_below_the_fleets_minimum_is_refused_at_its_key()
    {
        using var p = new TempProject();
        p.Append("Pulumi.pc2.yaml", "  resilience:demoFleetPushPeriod: 50ms\n");
        var e = Assert.Throws<ConfigException>(() => Graph(p.Dir, "pc2"));
        Assert.Contains("demoFleetPushPeriod", e.Where + e.Problem);
        Assert.Contains("minimum", e.Problem);
    }
}
