using Resilience.Stack;
using Resilience.Stack.Config;

namespace Resilience.Tests.Stack;

/// <summary>An agent's endpoint port is a claim on its machine's address like any service port.</summary>
public class AgentPortClaimTests
{
    private static ConfigException Refused(TempProject p, string stack) =>
        Assert.Throws<ConfigException>(() => StackProgram.Run(StackConfig.Load(p.Dir, stack), p.Dir));

    private static int LineOf(TempProject p, string agent) =>
        Array.FindIndex(File.ReadAllLines(p.PathOf("stacks/agents.yaml")), l => l.Contains($"name: {agent},", StringComparison.Ordinal)) + 1;

    [Fact]
    public void An_agent_on_pc2_with_edgehubs_port_is_refused_naming_the_inventory_line_in_either_stack()
    {
        using var p = new TempProject();
        p.Replace("stacks/agents.yaml", "{name: ResourceManager, machine: pc2, port: 7113", "{name: ResourceManager, machine: pc2, port: 9100");
        var line = LineOf(p, "ResourceManager");
        foreach (var stack in new[] { "pc2", "mainpc" })
        {
            var e = Refused(p, stack);
            Assert.EndsWith("stacks/agents.yaml", e.File);
            Assert.Equal($"line {line}: ResourceManager.port", e.Where);
            Assert.Equal("host port 9100 on 127.0.0.3 is claimed twice: by this agent and by resilience:edgeHubPort (pc2)", e.Problem);
        }
    }

    [Fact]
    public void Two_agents_on_one_machine_with_one_port_are_refused_naming_both_lines()
    {
        using var p = new TempProject();
        p.Replace("stacks/agents.yaml", "{name: MainPcAgent03, machine: mainpc, port: 5603", "{name: MainPcAgent03, machine: mainpc, port: 5602");
        var e = Refused(p, "mainpc");
        Assert.Equal($"line {LineOf(p, "MainPcAgent03")}: MainPcAgent03.port", e.Where);
        Assert.Contains($"by MainPcAgent02 (line {LineOf(p, "MainPcAgent02")})", e.Problem);
    }

    [Fact]
    public void The_same_port_on_the_two_machines_is_no_clash()
    {
        using var p = new TempProject();
        p.Replace("stacks/agents.yaml", "{name: MainPcAgent03, machine: mainpc, port: 5603", "{name: MainPcAgent03, machine: mainpc, port: 9100");
        Assert.NotEmpty(StackProgram.Run(StackConfig.Load(p.Dir, "mainpc"), p.Dir).Resources);
    }
}
