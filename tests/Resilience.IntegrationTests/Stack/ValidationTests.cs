namespace Resilience.Tests.Stack;

/// <summary>Every operator mistake: a message naming file and key or line, exit code 2, nothing written.</summary>
public class ValidationTests
{
    private static CliRunner.Result RenderBroken(TempProject project, string stack = "pc2", params string[] extra)
    {
        var outDir = Path.Combine(project.Dir, "out");
        var result = CliRunner.Run(project.Dir, ["render", "--stack", stack, "--out", outDir, .. extra]);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.False(Directory.Exists(outDir), "a failed render must write nothing");
        return result;
    }

    /// <summary>The line of the key a test appended to the stack file (the committed file's length changes).</summary>
    private static int LastLine(TempProject project) => File.ReadAllLines(project.PathOf("Pulumi.pc2.yaml")).Length;

    [Fact]
    public void Unknown_key_names_the_file_and_line_and_suggests_the_near_one()
    {
        using var p = new TempProject();
        p.Append("Pulumi.pc2.yaml", "  resilience:edgeHubPrt: 9200\n");
        var err = RenderBroken(p).Stderr;
        Assert.Contains($"Pulumi.pc2.yaml: line {LastLine(p)}: resilience:edgeHubPrt", err);
        Assert.Contains("did you mean 'resilience:edgeHubPort'", err);
    }

    [Fact]
    public void Wrong_type_is_refused()
    {
        using var p = new TempProject();
        p.Append("Pulumi.pc2.yaml", "  resilience:edgeHubPort: [9100, 9101]\n");
        var err = RenderBroken(p).Stderr;
        Assert.Contains($"Pulumi.pc2.yaml: line {LastLine(p)}: resilience:edgeHubPort: expected an integer, got a list", err);
    }

    [Fact]
    public void Port_out_of_range_is_refused()
    {
        using var p = new TempProject();
        p.Append("Pulumi.pc2.yaml", "  resilience:edgeHubPort: 99999\n");
        Assert.Contains($"Pulumi.pc2.yaml: line {LastLine(p)}: resilience:edgeHubPort: 99999 is out of range 1-65535", RenderBroken(p).Stderr);
    }

    [Fact]
    public void Two_services_claiming_one_host_port_are_refused()
    {
        using var p = new TempProject();
        p.Append("Pulumi.pc2.yaml", "  resilience:pc2NatsPort: 9100\n");
        var err = RenderBroken(p).Stderr;
        Assert.Contains($"Pulumi.pc2.yaml: line {LastLine(p)}: resilience:pc2NatsPort: host port 9100 on 127.0.0.3 is claimed twice", err);
        Assert.Contains("resilience:edgeHubPort", err);
    }

    [Fact]
    public void Week_outside_0_to_4_is_refused_in_the_file_and_on_the_command_line()
    {
        using var p = new TempProject();
        var fromFlag = RenderBroken(p, "pc2", "--week", "5").Stderr;
        Assert.Contains("--week: 5: the rollout week is 0-4 (0: Phase 1, before the rollout)", fromFlag);
        p.Replace("Pulumi.pc2.yaml", "resilience:rolloutWeek: 1", "resilience:rolloutWeek: -1");
        Assert.Contains("Pulumi.pc2.yaml: line 4: resilience:rolloutWeek: -1 is out of range 0-4", RenderBroken(p).Stderr);
    }

    [Fact]
    public void An_agent_in_two_waves_is_refused()
    {
        using var p = new TempProject();
        p.Append("stacks/agents.yaml", "  - {name: ResourceManager, machine: pc2, port: 7113, critical: true, wave: 2}\n");
        var err = RenderBroken(p).Stderr;
        Assert.Contains("stacks/agents.yaml: line 90: agent ResourceManager is in two waves (pilot at line", err);
    }

    [Fact]
    public void An_agent_on_an_unknown_machine_is_refused()
    {
        using var p = new TempProject();
        p.Append("stacks/agents.yaml", "  - {name: Stray, machine: pc3, port: 7999, critical: false, wave: 3}\n");
        Assert.Contains("stacks/agents.yaml: line 90: Stray.machine: unknown machine 'pc3'", RenderBroken(p).Stderr);
    }

    [Fact]
    public void A_template_that_fails_to_render_names_the_template_and_line()
    {
        using var p = new TempProject();
        p.Replace("templates/nats-server.conf.sbn", "server_name: {{ server_name }}", "server_name: {{ server_nmae }}");
        var err = RenderBroken(p).Stderr;
        Assert.Contains("templates/nats-server.conf.sbn: line 6: template failed to render", err);
        Assert.Contains("server_nmae", err);
    }

    [Fact]
    public void A_template_that_does_not_parse_is_refused()
    {
        using var p = new TempProject();
        p.Append("templates/agent.yaml.sbn", "{{ if }}\n");
        Assert.Contains("templates/agent.yaml.sbn: line", RenderBroken(p).Stderr);
    }

    [Fact]
    public void Invalid_yaml_names_the_line()
    {
        using var p = new TempProject();
        p.Append("Pulumi.pc2.yaml", "  resilience:edgeHubPort: [9100\n");
        Assert.Contains("Pulumi.pc2.yaml: line", RenderBroken(p).Stderr);
    }

    [Fact]
    public void Unpinned_image_is_refused()
    {
        using var p = new TempProject();
        p.Append("Pulumi.pc2.yaml", "  resilience:prometheusImage: prom/prometheus:latest\n");
        Assert.Contains("resilience:prometheusImage: 'prom/prometheus:latest' is not pinned", RenderBroken(p).Stderr);
    }

    [Fact]
    public void Secure_values_do_not_crash_the_reader_and_are_never_printed()
    {
        using var p = new TempProject();
        p.Append("Pulumi.pc2.yaml", "  resilience:edgeHubPort:\n    secure: v1:AAAAAAAAAAAAAAAA:c2VjcmV0LXZhbHVl\n");
        var result = RenderBroken(p);
        Assert.Contains("resilience:edgeHubPort: is a secret where a plain value is expected", result.Stderr);
        Assert.DoesNotContain("c2VjcmV0LXZhbHVl", result.Stderr + result.Stdout);
    }

    [Fact]
    public void A_good_render_writes_files_and_the_resource_list()
    {
        using var p = new TempProject();
        var outDir = Path.Combine(p.Dir, "out");
        var result = CliRunner.Run(p.Dir, "render", "--stack", "pc2", "--week", "2", "--out", outDir);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(40, Directory.GetFiles(Path.Combine(outDir, "files", "agents")).Length);
        var list = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "resources.json")))!;
        Assert.Contains(list["resources"]!.AsArray(), r => r!["urn"]!.GetValue<string>() == "urn:resilience:pc2::docker:container::edgehub");
    }
}
