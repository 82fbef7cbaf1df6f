using Resilience.Stack.Config;

namespace Resilience.Cli;

/// <summary>Turns operator mistakes into one clear line on stderr and exit code 2.</summary>
public static class CliErrors
{
    public const int UserError = 2;

    public static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (ConfigException e)
        {
            return Report(e);
        }
    }

    public static async Task<int> RunAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (ConfigException e)
        {
            return Report(e);
        }
    }

    private static int Report(ConfigException e)
    {
        var file = e.File;
        try
        {
            if (Path.IsPathRooted(file)) file = ProjectContext.Discover().Show(file);
        }
        catch (ConfigException)
        {
        }
        Console.Error.WriteLine($"error: {file}: {e.Where}: {e.Problem}");
        return UserError;
    }
}
