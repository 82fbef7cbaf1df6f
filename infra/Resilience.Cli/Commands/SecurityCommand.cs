using System.CommandLine;
using Resilience.Operations.Security;

namespace Resilience.Cli.Commands;

/// <summary>`security init`: the pair's TLS and credential material, made and written into the stack files.</summary>
public static class SecurityCommand
{
    public static Command Create(Option<string> stack)
    {
        var init = new Command("init",
            "Make the pair's CA, each machine's certificate and every role's credentials, and write them (secrets encrypted) " +
            "into every stack file of the pair; what a stack file already holds is kept")
        { stack };
        init.SetAction(parse => CliErrors.Run(() =>
        {
            var project = ProjectContext.Discover();
            project.LoadConfig(parse.GetRequiredValue(stack)); // the stack asked for must exist and read
            var result = SecurityMaterialSteps.Ensure(project, Console.Error);
            Print(project, result);
            return 0;
        }));
        return new Command("security", "The TLS and credential material of the pair of stacks (issue 16)") { init };
    }

    private static void Print(ProjectContext project, MaterialResult result)
    {
        var made = new List<string>();
        if (result.CaCreated) made.Add("a new CA");
        if (result.RolesCreated.Count > 0) made.Add($"{result.RolesCreated.Count} users ({string.Join(", ", result.RolesCreated)})");
        Console.WriteLine(made.Count > 0 ? $"made {string.Join(" and ", made)}" : "the pair's CA and credentials were already there: kept");
        foreach (var s in result.Stacks)
        {
            var wrote = s.Written.Count == 0 ? "nothing to write" : $"wrote {string.Join(", ", s.Written)}";
            var kept = s.Kept.Count == 0 ? "" : $"; kept {string.Join(", ", s.Kept)}";
            Console.WriteLine($"  {project.Show(s.StackFile)} ({s.Machine}): {wrote}{kept}");
        }
        Console.WriteLine($"took {result.Elapsed.TotalSeconds:0.0}s");
    }
}
