namespace Resilience.Tests.Cli;

/// <summary>
/// `stack output` shows what was applied, as Pulumi does: the real CLI applies a real stack (only its NATS config
/// file, with --target, so no container is needed) and the stack file is then changed without `up`.
/// </summary>
public sealed class StackOutputCommandTests : IDisposable
{
    private const string Stack = "pc2";
    private const string NatsConf = "urn:resilience:pc2::file:file::nats/nats.conf";
    private readonly TempProject _project = new TempProject().KeepListenersOpen();
    private readonly string _backend = Directory.CreateTempSubdirectory("resilience-output-state-").FullName;

    public void Dispose()
    {
        _project.Dispose();
        Directory.Delete(_backend, recursive: true);
    }

    private CliRunner.Result Run(params string[] args) =>
        CliRunner.Run(_project.Dir, new Dictionary<string, string> { ["RESILIENCE_BACKEND_URL"] = $"file://{_backend}" }, args);

    private CliRunner.Result MustRun(params string[] args)
    {
        var result = Run(args);
        Assert.True(result.ExitCode == 0, $"resilience {string.Join(' ', args)}: {result}");
        return result;
    }

    private JsonObject Outputs() => JsonNode.Parse(MustRun("stack", "output", "--stack", Stack, "--json").Stdout)!.AsObject();

    [Fact]
    public void A_port_changed_in_the_stack_file_shows_only_after_up()
    {
        MustRun("up", "--stack", Stack, "--target", NatsConf, "--yes");
        Assert.Equal("http://127.0.0.3:9100", (string?)Outputs()["edgeHubUrl"]);

        _project.Append("Pulumi.pc2.yaml", "  resilience:edgeHubPort: 9200\n");
        Assert.Equal("http://127.0.0.3:9100", (string?)Outputs()["edgeHubUrl"]);
        var text = MustRun("stack", "output", "--stack", Stack);
        Assert.Contains("edgeHubUrl           http://127.0.0.3:9100", text.Stdout);
        Assert.StartsWith("Current stack outputs:", text.Stdout);
        Assert.Equal("http://127.0.0.3:9100\n", MustRun("stack", "output", "--stack", Stack, "edgeHubUrl").Stdout);
        Assert.Equal("\"http://127.0.0.3:9100\"\n", MustRun("stack", "output", "--stack", Stack, "edgeHubUrl", "--json").Stdout);
        var unknown = Run("stack", "output", "--stack", Stack, "edgeHubURL");
        Assert.True(unknown.ExitCode == 2, unknown.ToString());
        Assert.Contains("edgeHubURL: stack pc2 has no output by that name; it has", unknown.Stderr);
        Assert.Contains("edgeHubUrl", unknown.Stderr);

        MustRun("up", "--stack", Stack, "--target", NatsConf, "--yes");
        Assert.Equal("http://127.0.0.3:9200", (string?)Outputs()["edgeHubUrl"]);
    }

    [Fact]
    public void A_stack_never_applied_says_so_instead_of_an_empty_table()
    {
        var result = Run("stack", "output", "--stack", Stack, "--json");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("", result.Stdout);
        Assert.Equal("error: stack pc2 has no outputs yet: no `up` of it has succeeded (run `resilience up --stack pc2`)", result.Stderr.Trim());
    }

    [Fact]
    public void A_destroyed_stack_names_the_destroy()
    {
        MustRun("up", "--stack", Stack, "--target", NatsConf, "--yes");
        MustRun("destroy", "--stack", Stack, "--yes");

        var result = Run("stack", "output", "--stack", Stack);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("error: stack pc2 has no outputs: version 2 (destroy, ", result.Stderr);
    }
}
