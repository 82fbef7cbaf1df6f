namespace Resilience.IntegrationTests.Engine;

/// <summary>Ends a fixture's stacks: destroys each by the CLI, removes whatever destroy left anyway, then reports it.</summary>
internal static class StackTeardown
{
    /// <exception cref="InvalidOperationException">A destroy failed or left a labelled Docker object behind.</exception>
    public static async Task DestroyAsync(Func<string[], Task<CliRunner.Result>> run, TempProject project, params string[] stacks)
    {
        var problems = new List<string>();
        foreach (var stack in stacks)
        {
            var destroy = await run(["destroy", "--stack", stack, "--yes", "--json"]);
            if (destroy.ExitCode != 0) problems.Add($"destroy {stack}: {destroy}");
            else problems.AddRange(DockerCli.Labelled(stack).Select(left => $"destroy {stack} left {left}"));
            DockerCli.RemoveLabelled(stack);
        }
        project.Dispose();
        if (problems.Count > 0) throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
    }
}
