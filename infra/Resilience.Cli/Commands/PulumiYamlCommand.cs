using System.CommandLine;
using Resilience.Pulumi;

namespace Resilience.Cli.Commands;

/// <summary>
/// `pulumi-yaml`: the Pulumi YAML `compiler` named in Pulumi.yaml. Prints the stack in PULUMI_STACK (config from
/// PULUMI_CONFIG over the stack file) as a Pulumi YAML program on stdout, and nothing else there.
/// </summary>
public static class PulumiYamlCommand
{
    public static Command Create()
    {
        var command = new Command("pulumi-yaml",
            "Print the stack named by PULUMI_STACK as a Pulumi YAML program (run by Pulumi as the YAML compiler); " +
            "without PULUMI_STACK, a program naming every resource type it uses");
        command.SetAction(_ => CliErrors.Run(() =>
        {
            var environment = PulumiEnvironment.From(Environment.GetEnvironmentVariable);
            var projectDir = environment.Stack is null ? "" : ProjectContext.Discover().Directory;
            var yaml = PulumiYamlCompiler.Compile(projectDir, environment);
            Console.Out.Write(yaml);
            Console.Out.Flush();
            return 0;
        }));
        return command;
    }
}
