using System.CommandLine;
using Resilience.Engine.Refresh;

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

    /// <summary>
    /// `stack import --file F` puts an export back; `stack import --from-history` rebuilds a lost checkpoint from what the
    /// history declared plus a read of the real world (a refresh). Both are Pulumi's one verb for "give the stack its
    /// state back", so an operator finds the rebuild where they would look first; only the source differs.
    /// </summary>
    public static Command Import(EngineOptions o)
    {
        var file = new Option<string?>("--file") { Description = "A file `stack export` wrote" };
        var fromHistory = new Option<bool>("--from-history")
        {
            Description = "Rebuild the state from the resources the history declared since the last destroy, each read from the real world",
        };
        var command = new Command("import", "Replace the stack's state by an exported one, or rebuild it from the history (the replaced one is kept as checkpoint.previous.json)")
        { o.Stack, o.Backend, file, fromHistory };
        command.SetAction((parse, ct) => CliErrors.RunAsync(async () =>
        {
            var session = EngineSession.Open(parse.GetRequiredValue(o.Stack), parse.GetValue(o.Backend));
            var stack = session.Engine.Stack;
            var path = parse.GetValue(file);
            if (parse.GetValue(fromHistory))
            {
                if (path is not null) throw new UsageException("--file", "give either --file or --from-history, not both");
                var (read, version) = await session.Engine.RebuildStateAsync(ct);
                if (version is null) throw new UsageException("--from-history", $"stack {stack} has no history to rebuild its state from (see `stack history`)");
                var found = read.Resources.Count(r => r.Status != DriftStatus.Gone);
                Console.WriteLine($"rebuilt the state of stack '{stack}' from history version {version} and a refresh: {found} resources recorded as they are, " +
                    $"{read.Resources.Count - found} declared but not found. Run `./resilience preview --stack {stack}` to see what up would change.");
                return 0;
            }
            if (path is null) throw new UsageException("--file", "is required (or --from-history to rebuild the state from the history)");
            if (!File.Exists(path)) throw new UsageException("--file", $"{path}: no such file");
            var count = session.Engine.ImportState(path);
            Console.WriteLine($"imported the state of stack '{stack}': {count} resources. Run `./resilience refresh --stack {stack}` to compare it with the real world.");
            return 0;
        }, ct));
        return command;
    }
}
