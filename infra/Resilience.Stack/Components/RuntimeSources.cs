using Resilience.Platform;

namespace Resilience.Stack.Components;

/// <summary>
/// The hash of what a publish of the runtime is built from: every file of its project folder (bin/ and obj/
/// left out), the Directory.Build.props files above it, and the folders of the projects it references (the runtime's
/// contracts and the platform library), by relative path and content. Computed by the program
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
        foreach (var project in ReferencedProjects(root).Order(StringComparer.Ordinal))
        {
            foreach (var file in Files(project).Order(StringComparer.Ordinal)) Add(Path.GetRelativePath(root, file), file);
        }
        return hash.Tagged();
    }

    /// <summary>The folders of the projects <paramref name="root"/>'s project files reference, directly or not.</summary>
    private static HashSet<string> ReferencedProjects(string root)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([root]);
        while (pending.TryPop(out var dir))
        {
            foreach (var csproj in Directory.EnumerateFiles(dir, "*.csproj"))
            {
                var references = System.Xml.Linq.XDocument.Load(csproj).Descendants("ProjectReference")
                    .Select(r => (string?)r.Attribute("Include"))
                    .OfType<string>();
                foreach (var include in references)
                {
                    var folder = Path.GetDirectoryName(Path.GetFullPath(Path.Combine(dir, include.Replace('\\', '/'))))!;
                    if (folder != root && found.Add(folder)) pending.Push(folder);
                }
            }
        }
        return found;
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
