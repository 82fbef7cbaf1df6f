using System.CommandLine;

namespace Resilience.Cli.Commands;

/// <summary>`stack export` / `stack import`, as Pulumi names them: save a stack's state to a file and put it back.</summary>
public static class StateCommands
{
    public static Command Export(EngineOptions o)
    {
        var file = new Option<string?>("--file") { Description = "Write to this file (0600) instead of stdout" };
        var command = new Command("export", "Write the stack's state (its checkpoint, secrets encrypted) as JSON") { o.Stack, o.Backend, file };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            var session = EngineSession.Open(parse.GetRequiredValue(o.Stack), parse.GetValue(o.Backend));
            var state = session.Engine.ExportState();
            if (parse.GetValue(file) is { } path)
            {
                using (var stream = new FileStream(path, new FileStreamOptions
                { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
                {
                    stream.Write(state);
                }
                Console.Error.WriteLine($"exported the state of stack '{session.Engine.Stack}' to {path}");
            }
            else
            {
                using var stdout = Console.OpenStandardOutput();
                stdout.Write(state);
                stdout.Write("\n"u8);
            }
            return 0;
        }));
        return command;
    }

    public static Command Import(EngineOptions o)
    {
        var file = new Option<string>("--file") { Description = "A file `stack export` wrote", Required = true };
        var command = new Command("import", "Replace the stack's state by an exported one (the replaced one is kept as checkpoint.previous.json)") { o.Stack, o.Backend, file };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            var session = EngineSession.Open(parse.GetRequiredValue(o.Stack), parse.GetValue(o.Backend));
            var path = parse.GetRequiredValue(file);
            if (!File.Exists(path)) throw new UsageException("--file", $"{path}: no such file");
            var count = session.Engine.ImportState(path);
            Console.WriteLine($"imported the state of stack '{session.Engine.Stack}': {count} resources. Run `./resilience refresh --stack {session.Engine.Stack}` to compare it with the real world.");
            return 0;
        }));
        return command;
    }
}
