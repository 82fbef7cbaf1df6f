namespace Resilience.Tests.Cli;

/// <summary>What the operator sees when a command cannot run: one line on stderr, a documented exit code, never a stack trace.</summary>
public sealed class CliErrorTests : IDisposable
{
    private readonly TempProject _project = new TempProject().KeepListenersOpen();
    private readonly string _backend = Directory.CreateTempSubdirectory("resilience-cli-errors-").FullName;
    private readonly string _logs = Directory.CreateTempSubdirectory("resilience-cli-logs-").FullName;

    public void Dispose()
    {
        _project.Dispose();
        Directory.Delete(_backend, recursive: true);
        Directory.Delete(_logs, recursive: true);
    }

    private CliRunner.Result Run(params string[] args) => CliRunner.Run(_project.Dir,
        new Dictionary<string, string> { ["RESILIENCE_BACKEND_URL"] = $"file://{_backend}", ["RESILIENCE_LOG_DIR"] = _logs }, args);

    private static void AssertNoStackTrace(CliRunner.Result result)
    {
        Assert.DoesNotMatch(@"(?m)^\s+at \S+\(", result.Stdout + result.Stderr);
        Assert.DoesNotContain("--- End of", result.Stdout + result.Stderr);
    }

    [Fact]
    public void A_missing_required_option_is_a_usage_error()
    {
        var result = Run("stack", "output");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--stack", result.Stderr);
    }

    [Fact]
    public void A_rollback_to_a_version_that_does_not_exist_names_the_option()
    {
        var result = Run("rollback", "--stack", "pc2", "--to", "7", "--yes");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("error: --to: stack pc2 has no version 7 (see `stack history`)", result.Stderr.Trim());
    }

    [Fact]
    public void A_backend_that_is_not_a_file_url_is_a_usage_error()
    {
        var result = Run("stack", "history", "--stack", "pc2", "--backend", "s3://bucket");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("error: --backend: 's3://bucket': only file:// backends", result.Stderr);
    }

    [Fact]
    public void Config_set_of_an_unknown_key_suggests_the_near_one()
    {
        var result = Run("config", "set", "resilience:edgeHubPrt", "9200", "--stack", "pc2");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("error: resilience:edgeHubPrt: unknown config key (not declared in Pulumi.yaml); did you mean 'resilience:edgeHubPort'?", result.Stderr.Trim());
    }

    [Fact]
    public void A_stack_file_the_editor_refuses_is_reported_with_its_line_and_no_slicing_of_messages()
    {
        _project.Write("Pulumi.pc2.yaml", "config: {resilience:machine: pc2}\n");

        var result = Run("config", "set", "resilience:rolloutWeek", "2", "--stack", "pc2");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("error: Pulumi.pc2.yaml: line 1: 'config' is written in flow style or as a scalar; only a block mapping can be edited", result.Stderr.Trim());
    }

    [Fact]
    public void An_unexpected_failure_is_one_line_naming_a_private_log_that_holds_the_details()
    {
        // A history version whose output is a number: nothing the CLI foresees, so it reaches the last-resort handler.
        var history = Path.Combine(_backend, "pc2", "history");
        Directory.CreateDirectory(history);
        File.WriteAllText(Path.Combine(history, "1.json"),
            """{"version": 1, "command": "up", "started": "2026-01-01T00:00:00Z", "result": "Succeeded", "graph": {"outputs": {"port": {"value": 5}}}}""");

        var result = Run("stack", "output", "--stack", "pc2");

        Assert.True(result.ExitCode == 1, result.ToString());
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: unexpected InvalidOperationException: ", line);
        AssertNoStackTrace(result);
        var log = Assert.Single(Directory.GetFiles(_logs));
        Assert.Contains($"(details in {log})", line);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(log));
        var details = File.ReadAllText(log);
        Assert.Contains("command: resilience stack output --stack pc2", details);
        Assert.Contains("   at Resilience.", details);
    }
}
