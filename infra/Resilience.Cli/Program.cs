using System.CommandLine;
using Resilience.Cli;
using Resilience.Cli.Commands;

var stack = new Option<string>("--stack", "-s") { Description = "The stack to operate on (e.g. mainpc, pc2)", Required = true };
var root = new RootCommand("resilience: the observability and messaging layer of MainPC and PC2, as code")
{
    RenderCommand.Create(stack),
    PulumiYamlCommand.Create(),
    ConfigCommand.Create(stack),
    StatusCommand.Create(stack),
    GateCommand.Create(stack),
    RolloutCommand.Create(stack),
    GraphCommand.Create(),
    PulumiSupportCommands.HostFile(),
    PulumiSupportCommands.JetStream(),
    SecurityCommand.Create(stack),
};
foreach (var command in EngineCommands.Create(stack)) root.Subcommands.Add(command);
LocalPassphrase.UseIfPresent();
var parse = root.Parse(args);
// The commands report their own failures; this catches what escapes them, so no stack trace reaches the operator.
var exitCode = await CliErrors.RunAsync(() => parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }));
return parse.Errors.Count > 0 ? CliErrors.UserError : exitCode;
