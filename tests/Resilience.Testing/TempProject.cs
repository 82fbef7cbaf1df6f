namespace Resilience.Testing;

/// <summary>A throw-away copy of the project's operator files (Pulumi*.yaml, stacks/, templates/) to break on purpose.</summary>
public sealed class TempProject : IDisposable
{
    public TempProject()
    {
        Dir = Directory.CreateTempSubdirectory("resilience-project-").FullName;
        foreach (var file in Directory.GetFiles(RepoPaths.Root, "Pulumi*.yaml")) File.Copy(file, Path.Combine(Dir, Path.GetFileName(file)));
        foreach (var folder in new[] { "stacks", "templates" })
        {
            var target = Path.Combine(Dir, folder);
            Directory.CreateDirectory(target);
            foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, folder))) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
        // The runtime and the demo fleet are published from the repository's own projects (their obj/ makes a publish
        // incremental), not copies.
        Replace("Pulumi.yaml", "default: runtime/Resilience.Runtime", $"default: {Path.Combine(RepoPaths.Root, "runtime", "Resilience.Runtime")}");
        Replace("Pulumi.yaml", "default: fleet/Resilience.DemoFleet", $"default: {Path.Combine(RepoPaths.Root, "fleet", "Resilience.DemoFleet")}");
    }

    public string Dir { get; }

    /// <summary>
    /// securityMaterial manual instead of the committed auto: `up` makes no TLS and credential material, so the stacks'
    /// listeners stay open to the test's plain clients. For tests of what security does not change (the engine, faults,
    /// validation, natsPassword); the secured stacks have tests of their own.
    /// </summary>
    public TempProject KeepListenersOpen()
    {
        Replace("Pulumi.yaml", "    default: auto", "    default: manual");
        return this;
    }

    public string PathOf(string relative) => Path.Combine(Dir, relative);

    public void Write(string relative, string content) => File.WriteAllText(PathOf(relative), content);

    public void Append(string relative, string content) => File.AppendAllText(PathOf(relative), content);

    public void Replace(string relative, string from, string to)
    {
        var text = File.ReadAllText(PathOf(relative));
        if (!text.Contains(from, StringComparison.Ordinal)) throw new InvalidOperationException($"'{from}' not in {relative}");
        File.WriteAllText(PathOf(relative), text.Replace(from, to, StringComparison.Ordinal));
    }

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}
