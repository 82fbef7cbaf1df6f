using System.Text.Json.Nodes;
using Resilience.Engine.Providers;
using Resilience.Model;
using Resilience.Providers.Command;
using Resilience.Stack;
using Resilience.Stack.Components;
using Resilience.Stack.Config;

namespace Resilience.Tests.Command;

/// <summary>Agents are told their file changed: one restart per agent file, after it, run as arguments.</summary>
public class AgentRestartTests
{
    private static ResourceGraph Graph(string dir, string stack) => StackProgram.Run(StackConfig.Load(dir, stack), dir);

    private static Resource Restart(string stack, string program, string[] args) => new()
    {
        Stack = stack,
        Type = CommandProvider.AgentRestartType,
        Name = $"agents/{program}.yaml",
        Inputs = new JsonObject { ["program"] = program, ["args"] = new JsonArray([.. args.Select(a => (JsonNode)a)]), ["trigger"] = "sha256:1" },
    };

    [Fact]
    public void The_demo_pc2_restarts_each_migrated_agent_through_the_fleets_control_api_after_its_file()
    {
        var g = Graph(RepoPaths.Root, "pc2");
        var restarts = g.Resources.Where(r => r.Type == "command:agent-restart").ToList();
        var files = g.Resources.Where(r => r.Type == "file:file" && r.Name.StartsWith("agents/", StringComparison.Ordinal)).ToList();
        Assert.Equal(files.Select(f => f.Name).Order(), restarts.Select(r => r.Name).Order());
        var pilot = restarts.Single(r => r.Inputs["program"]!.GetValue<string>() == "ObservabilityHub");
        Assert.Equal(["curl", "-sS", "--fail-with-body", "-X", "POST", "http://127.0.0.3:9190/agents/ObservabilityHub/restart"],
            pilot.Inputs["args"]!.AsArray().Select(a => a!.GetValue<string>()));
        var file = files.Single(f => f.Name == pilot.Name);
        Assert.Equal(StackBuilder.Hash([Secret.Reveal(file.Inputs["content"])!]), pilot.Inputs["trigger"]!.GetValue<string>());
        Assert.Contains(file.Urn, pilot.DependsOn);
        Assert.Contains(Urns.For("pc2", "docker:container", "demo-fleet"), pilot.DependsOn);
    }

    [Fact]
    public void Without_the_demo_the_seeds_supervisorctl_restarts_the_program_and_a_wrong_placeholder_is_refused()
    {
        using var p = new TempProject();
        p.Replace("Pulumi.pc2.yaml", "resilience:demoFleet: true", "resilience:demoFleet: false");
        p.Replace("Pulumi.pc2.yaml", "  resilience:agentRestartCommand: curl -sS --fail-with-body {curlConfig} -X POST {demoFleetControlUrl}/agents/{program}/restart\n", "");
        var restart = Graph(p.Dir, "pc2").Resources.First(r => r.Type == "command:agent-restart");
        Assert.Equal(["supervisorctl", "restart", restart.Inputs["program"]!.GetValue<string>()],
            restart.Inputs["args"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Single(restart.DependsOn);

        p.Append("Pulumi.pc2.yaml", "  resilience:agentRestartCommand: systemctl restart {agent}\n");
        var e = Assert.Throws<ConfigException>(() => Graph(p.Dir, "pc2"));
        Assert.EndsWith("Pulumi.pc2.yaml", e.File);
        Assert.Contains("'{agent}' is not a placeholder", e.Problem);
    }

    [Fact]
    public async Task The_provider_runs_the_arguments_without_a_shell_and_a_failure_fails_with_the_output()
    {
        var provider = new CommandProvider(TimeSpan.FromSeconds(20));
        // A shell would run the second command; as one argument it is just text echoed back.
        var ok = await provider.CreateAsync(Restart("s", "a", ["echo", "restarted; touch /tmp/never"]), CancellationToken.None);
        Assert.Equal("restarted; touch /tmp/never", ok["output"]!.GetValue<string>());

        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            provider.CreateAsync(Restart("s", "a", ["sh", "-c", "echo no such program >&2; exit 7"]), CancellationToken.None));
        Assert.Equal("restart of a: 'sh -c echo no such program >&2; exit 7' exited 7: no such program", failed.Message);

        var missing = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            provider.CreateAsync(Restart("s", "a", ["/no/such/supervisorctl", "restart", "a"]), CancellationToken.None));
        Assert.StartsWith("restart of a: could not start '/no/such/supervisorctl restart a'", missing.Message);
    }

    [Fact]
    public void A_program_name_that_could_be_code_is_refused_by_check()
    {
        var check = new CommandProvider().Check(Restart("s", "a;rm", ["supervisorctl", "restart", "a;rm"]));
        Assert.False(check.Ok);
        Assert.Contains(check.Failures, f => f.ToString().Contains("'a;rm' may contain only letters, digits", StringComparison.Ordinal));
    }

    [Fact]
    public void A_new_trigger_runs_it_again_and_the_same_inputs_run_nothing()
    {
        var provider = new CommandProvider();
        var before = Restart("s", "a", ["true"]);
        var state = new ResourceState { Urn = before.Urn, Type = before.Type, Name = before.Name, Inputs = before.Inputs.DeepClone().AsObject() };
        Assert.Equal(DiffKind.Same, provider.Diff(state, provider.Check(before)).Kind);
        var after = Restart("s", "a", ["true"]);
        after.Inputs["trigger"] = "sha256:2";
        Assert.Equal(DiffKind.Replace, provider.Diff(state, provider.Check(after)).Kind);
    }
}
