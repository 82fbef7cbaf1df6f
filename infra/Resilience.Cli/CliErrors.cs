using Resilience.Engine.Planning;
using Resilience.Engine.State;
using Resilience.Stack.Config;

namespace Resilience.Cli;

/// <summary>Turns operator mistakes into one clear message on stderr and a documented exit code.</summary>
public static class CliErrors
{
    /// <summary>The input is wrong (config, inventory, template, a plan the rules refuse); nothing was applied.</summary>
    public const int UserError = 2;

    /// <summary>Another operation holds the stack's lock; nothing was applied.</summary>
    public const int Locked = 3;

    public static int Run(Func<int> action) => RunAsync(() => Task.FromResult(action())).GetAwaiter().GetResult();

    public static async Task<int> RunAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (ConfigException e)
        {
            Console.Error.WriteLine($"error: {Show(e.File)}: {e.Where}: {e.Problem}");
            return UserError;
        }
        catch (PlanException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return UserError;
        }
        catch (StateDamagedException e)
        {
            Console.Error.WriteLine($"error: {Show(e.Path)}: {e.Problem}");
            Console.Error.WriteLine($"  {e.WayOut}");
            return UserError;
        }
        catch (StackLockedException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return Locked;
        }
    }

    private static string Show(string file)
    {
        try
        {
            return Path.IsPathRooted(file) ? ProjectContext.Discover().Show(file) : file;
        }
        catch (ConfigException)
        {
            return file;
        }
    }
}
