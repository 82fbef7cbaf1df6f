using Resilience.Engine.Providers;
using Resilience.Engine.Planning;
using Resilience.Engine.State;
using Resilience.Secrets;
using Resilience.Stack.Config;

namespace Resilience.Cli;

/// <summary>
/// Turns every failure into one clear message on stderr and a documented exit code. A failure nobody foresaw is
/// one line naming the log file that holds its details: a .NET stack trace never reaches the operator.
/// </summary>
public static class CliErrors
{
    /// <summary>An operation ran and failed (a step, a degraded status, an unexpected error).</summary>
    public const int Failed = 1;

    /// <summary>The input is wrong (command line, config, inventory, template, a plan the rules refuse); nothing was applied.</summary>
    public const int UserError = 2;

    /// <summary>Another operation holds the stack's lock; nothing was applied.</summary>
    public const int Locked = 3;

    /// <summary>The operator interrupted the command (Ctrl+C), as shells report SIGINT.</summary>
    public const int Interrupted = 130;

    public static int Run(Func<int> action) => RunAsync(() => Task.FromResult(action())).GetAwaiter().GetResult();

    /// <param name="ct">The command's token: a cancellation it asked for is an interruption, any other a failure.</param>
    public static async Task<int> RunAsync(Func<Task<int>> action, CancellationToken ct = default)
    {
        try
        {
            return await action();
        }
        catch (UsageException e)
        {
            return Report(e.Message, UserError);
        }
        catch (ConfigException e)
        {
            return Report($"{Show(e.File)}: {e.Where}: {e.Problem}", UserError);
        }
        catch (SecretsException e)
        {
            return Report($"{Show(e.StackFile)}: {e.Key}: {e.Problem}", UserError);
        }
        catch (StackFileException e)
        {
            return Report($"{Show(e.StackFile)}: {e.Problem}", UserError);
        }
        catch (PlanException e)
        {
            return Report(e.Message, UserError);
        }
        catch (StateDamagedException e)
        {
            return Report($"{Show(e.Path)}: {e.Problem}\n  {e.WayOut}", UserError);
        }
        catch (StackLockedException e)
        {
            return Report(e.Message, Locked);
        }
        catch (ProviderUnavailableException e)
        {
            return Report(e.Message, Failed);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return Report("interrupted", Interrupted);
        }
        catch (Exception e)
        {
            var log = CrashLog.Write(e, Environment.GetCommandLineArgs().Skip(1).ToList());
            var where = log is null ? "(the details could not be written to a log file)" : $"(details in {log})";
            return Report($"unexpected {e.GetType().Name}: {OneLine(e.Message)} {where}", Failed);
        }
    }

    private static int Report(string message, int exitCode)
    {
        Console.Error.WriteLine($"error: {message}");
        return exitCode;
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string Show(string file)
    {
        try
        {
            return Path.IsPathRooted(file) ? ProjectContext.Discover().Show(file) : file;
        }
        catch (UsageException)
        {
            return file;
        }
    }
}
