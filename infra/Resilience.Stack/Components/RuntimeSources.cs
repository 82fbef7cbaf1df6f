using Resilience.Platform;

namespace Resilience.Stack.Components;

/// <summary>
/// The hash of what a publish of the runtime is built from: every file of its project folder (bin/ and obj/
/// left out) and the Directory.Build.props files above it, by relative path and content. Computed by the program
/// from the files it reads, so a source change is an input change the preview shows, before anything runs.
/// </summary>
public static class RuntimeSources
{
    private static readonly string[] Skipped = ["bin", "obj"];

    /// <param name="root">The runtime's project folder (absolute); the program checked that it exists.</param>
    public static string Hash(string root)
    {
        using var hash = ContentHash.OfFields();
        void Add(string label, string file) => hash.Add(label).Add(File.ReadAllBytes(file));
        foreach (var file in Files(root).Order(StringComparer.Ordinal)) Add(Path.GetRelativePath(root, file), file);
        for (var dir = Path.GetDirectoryName(root); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            var props = Path.Combine(dir, "Directory.Build.props");
            if (File.Exists(props)) Add("../" + Path.GetRelativePath(root, props), props);
        }
        return hash.Tagged();
    }

    private static IEnumerable<string> Files(string dir)
    {
        foreach (var file in Directory.EnumerateFiles(dir)) yield return file;
        foreach (var sub in Directory.EnumerateDirectories(dir))
        {
            if (Skipped.Contains(Path.GetFileName(sub))) continue;
            foreach (var file in Files(sub)) yield return file;
        }
    }
}
