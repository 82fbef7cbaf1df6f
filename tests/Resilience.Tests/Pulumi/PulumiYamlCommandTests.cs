using System.CommandLine;
using Resilience.Cli.Commands;
using Resilience.Pulumi;

namespace Resilience.Tests.Pulumi;

/// <summary>These tests set process-wide environment variables and console writers, so they run alone.</summary>
[CollectionDefinition(nameof(ProcessEnvironment), DisableParallelization = true)]
public sealed class ProcessEnvironment;

/// <summary>
/// `resilience pulumi-yaml` as Pulumi runs it: stack and config from the environment, the program alone on stdout,
/// the embedded CLI's error line on stderr. In-process, through the same System.CommandLine command the CLI adds.
/// </summary>
[Collection(nameof(ProcessEnvironment))]
public class PulumiYamlCommandTests
{
    private sealed record Result(int ExitCode, string Stdout, string Stderr);

    private static Result Run(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var names = environment.Keys.Concat([PulumiEnvironment.StackVariable, PulumiEnvironment.ConfigVariable, "RESILIENCE_PROJECT"]).Distinct().ToList();
        var saved = names.ToDictionary(n => n, Environment.GetEnvironmentVariable);
        var (savedOut, savedError) = (Console.Out, Console.Error);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        try
        {
            foreach (var n in names) Environment.SetEnvironmentVariable(n, environment.GetValueOrDefault(n));
            Console.SetOut(stdout);
            Console.SetError(stderr);
            var stack = new Option<string>("--stack") { Required = true };
            var root = new RootCommand { RenderCommand.Create(stack), PulumiYamlCommand.Create() };
            var exit = root.Parse(args).Invoke();
            return new Result(exit, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(savedOut);
            Console.SetError(savedError);
            foreach (var (n, v) in saved) Environment.SetEnvironmentVariable(n, v);
        }
    }

    [Fact]
    public void With_a_stack_stdout_is_exactly_the_program_for_the_environment_config()
    {
        const string config = """{"resilience:edgeHubPort":"9200","resilience:rolloutWeek":"2"}""";
        var result = Run(new Dictionary<string, string?>
        {
            ["PULUMI_STACK"] = "pc2",
            ["PULUMI_CONFIG"] = config,
            ["RESILIENCE_PROJECT"] = RepoPaths.Root,
        }, "pulumi-yaml");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Stderr);
        Assert.Equal(PulumiPrograms.Compile("pc2", new Dictionary<string, string> { ["resilience:edgeHubPort"] = "9200", ["resilience:rolloutWeek"] = "2" }), result.Stdout);
        var template = PulumiTemplate.Parse(result.Stdout);
        Assert.Equal("http://127.0.0.3:9200/-/ready", template.Text("ready-edgehub", "environment", "RESILIENCE_READY_URL"));
    }

    [Fact]
    public void Without_a_stack_stdout_names_every_type_and_package_version()
    {
        var result = Run(new Dictionary<string, string?>(), "pulumi-yaml");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Stderr);
        var template = PulumiTemplate.Parse(result.Stdout);
        Assert.Equal(PulumiPackages.AllTypes.Order(), template.Resources.Keys.Select(template.TypeOf).Distinct().Order());
        Assert.Contains($"version: \"{PulumiPackages.DockerVersion}\"", result.Stdout);
        Assert.Contains($"version: \"{PulumiPackages.CommandVersion}\"", result.Stdout);
    }

    [Fact]
    public void A_stack_file_error_exits_2_with_the_embedded_clis_message_and_prints_no_program()
    {
        using var project = new TempProject();
        project.Append("Pulumi.pc2.yaml", "  resilience:edgeHubPrt: 9100\n");
        var environment = new Dictionary<string, string?> { ["PULUMI_STACK"] = "pc2", ["RESILIENCE_PROJECT"] = project.Dir };

        var pulumi = Run(environment, "pulumi-yaml");
        var embedded = Run(environment, "render", "--stack", "pc2", "--out", Path.Combine(project.Dir, "out"));

        Assert.Equal(2, pulumi.ExitCode);
        Assert.Equal(2, embedded.ExitCode);
        Assert.Equal("", pulumi.Stdout);
        Assert.StartsWith("error: Pulumi.pc2.yaml: line ", pulumi.Stderr);
        Assert.Contains("did you mean 'resilience:edgeHubPort'?", pulumi.Stderr);
        Assert.Equal(embedded.Stderr, pulumi.Stderr);
    }

    [Fact]
    public void A_bad_value_in_PULUMI_CONFIG_names_the_key_and_the_same_problem_as_in_a_stack_file()
    {
        using var project = new TempProject();
        var pulumi = Run(new Dictionary<string, string?>
        {
            ["PULUMI_STACK"] = "pc2",
            ["PULUMI_CONFIG"] = """{"resilience:edgeHubPort":"ninety"}""",
            ["RESILIENCE_PROJECT"] = project.Dir,
        }, "pulumi-yaml");
        project.Append("Pulumi.pc2.yaml", "  resilience:edgeHubPort: ninety\n");
        var embedded = Run(new Dictionary<string, string?> { ["RESILIENCE_PROJECT"] = project.Dir }, "render", "--stack", "pc2", "--out", Path.Combine(project.Dir, "out"));

        Assert.Equal(2, pulumi.ExitCode);
        Assert.Equal("", pulumi.Stdout);
        const string prefix = "error: PULUMI_CONFIG: resilience:edgeHubPort: ";
        Assert.StartsWith(prefix, pulumi.Stderr);
        Assert.EndsWith(": resilience:edgeHubPort: " + pulumi.Stderr[prefix.Length..], embedded.Stderr);
    }
}
