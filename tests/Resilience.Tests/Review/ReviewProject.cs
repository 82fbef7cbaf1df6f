namespace Resilience.Tests.Review;

/// <summary>
/// A temp project whose stacks were applied at week 1 for their config files only (`up --target` of files needs no
/// Docker), then moved to week 2: what a reviewer sees in the pull request that starts PC2's batches.
/// </summary>
public sealed class ReviewProject : IDisposable
{
    public const string Passphrase = "review-tests-passphrase";

    /// <summary>An agent of PC2's batch 1: not migrated in week 1, scraped by EdgeHub from week 2.</summary>
    public const string NewAgent = "Pc2Agent04";

    public TempProject Project { get; } = new();

    public static string CliCommand => $"dotnet {Path.Combine(AppContext.BaseDirectory, "resilience.dll")}";

    public static IReadOnlyDictionary<string, string> Env => new Dictionary<string, string> { ["PULUMI_CONFIG_PASSPHRASE"] = Passphrase };

    /// <summary>Applies the given files of the stack at the current config, which must succeed.</summary>
    public void ApplyFiles(string stack, params string[] files)
    {
        var args = new List<string> { "up", "--stack", stack, "--yes" };
        foreach (var file in files) args.AddRange(["--target", $"urn:resilience:{stack}::file:file::{file}"]);
        var up = Cli(args.ToArray());
        Assert.True(up.ExitCode == 0, up.ToString());
    }

    public void MoveToWeek2() => Project.Replace("Pulumi.pc2.yaml", "resilience:rolloutWeek: 1", "resilience:rolloutWeek: 2");

    public CliRunner.Result Cli(params string[] args) => CliRunner.Run(Project.Dir, Env, args);

    public void Dispose() => Project.Dispose();
}
