using System.CommandLine;
using Resilience.Cli.Commands;

var stack = new Option<string>("--stack", "-s") { Description = "The stack to operate on (e.g. mainpc, pc2)", Required = true };
var root = new RootCommand("resilience: the observability and messaging layer of MainPC and PC2, as code")
{
    RenderCommand.Create(stack),
    PulumiYamlCommand.Create(),
    ConfigCommand.Create(stack),
    StatusCommand.Create(stack),
    GraphCommand.Create(),
    PulumiSupportCommands.HostFile(),
    PulumiSupportCommands.JetStream(),
};
foreach (var command in EngineCommands.Create(stack)) root.Subcommands.Add(command);
return await root.Parse(args).InvokeAsync();
