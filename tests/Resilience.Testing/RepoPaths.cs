namespace Resilience.Testing;

public static class RepoPaths
{
    /// <summary>The repository root: the folder above the test binaries that holds Pulumi.yaml.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pulumi.yaml")) && Directory.Exists(Path.Combine(dir.FullName, "templates")))
                return dir.FullName;
        }
        throw new InvalidOperationException("repository root with Pulumi.yaml not found above " + AppContext.BaseDirectory);
    }
}
