using System.Text.Json.Nodes;

namespace Resilience.Providers.Docker.Images;

/// <param name="Exclude">Paths relative to From that a directory copy skips (e.g. data a UI never loads).</param>
public sealed record FileCopy(string From, string To, IReadOnlyList<string> Exclude);

public sealed record DirectorySpec(string Path, UnixFileMode Mode);

/// <summary>The "build" input of a local image: what goes into its root file system and how it starts.</summary>
public sealed record ImageBuildSpec(
    IReadOnlyList<FileCopy> Files,
    IReadOnlyList<DirectorySpec> Dirs,
    string? User,
    IReadOnlyList<string> Entrypoint,
    IReadOnlyList<string>? Cmd)
{
    internal static ImageBuildSpec? Parse(JsonObject build, SpecReader reader)
    {
        var before = reader.Problems.Count;
        var files = new List<FileCopy>();
        foreach (var (item, path) in reader.Objects(build, "files", "build"))
        {
            var from = reader.String(item, "from", path, required: true);
            var to = reader.String(item, "to", path, required: true);
            var exclude = reader.Strings(item, "exclude", path) ?? [];
            // A generated file is made during the apply by a resource the image depends on (a publish): it need not exist before.
            var generated = reader.Bool(item, "generated", path) ?? false;
            if (from is { Length: > 0 } && !System.IO.Path.IsPathFullyQualified(from)) reader.Problem($"{path}.from", $"'{from}' must be an absolute path");
            else if (from is { Length: > 0 } && !generated && !File.Exists(from) && !Directory.Exists(from)) reader.Problem($"{path}.from", $"'{from}' does not exist");
            if (to is { Length: > 0 } && !to.StartsWith('/')) reader.Problem($"{path}.to", $"'{to}' must be an absolute path");
            if (from is { Length: > 0 } && to is { Length: > 0 }) files.Add(new FileCopy(from, to, exclude));
        }
        if (files.Count == 0) reader.Problem("build.files", "must list at least one file");

        var dirs = new List<DirectorySpec>();
        foreach (var (item, path) in reader.Objects(build, "dirs", "build"))
        {
            var dirPath = reader.String(item, "path", path, required: true);
            var modeText = reader.String(item, "mode", path) ?? "755";
            if (dirPath is { Length: > 0 } && !dirPath.StartsWith('/')) reader.Problem($"{path}.path", $"'{dirPath}' must be an absolute path");
            if (!TryParseMode(modeText, out var mode)) reader.Problem($"{path}.mode", $"'{modeText}' must be an octal mode such as 755 or 1777");
            if (dirPath is { Length: > 0 }) dirs.Add(new DirectorySpec(dirPath, mode));
        }

        var user = reader.String(build, "user", "build");
        var entrypoint = reader.Strings(build, "entrypoint", "build", required: true) ?? [];
        if (build["entrypoint"] is not null && entrypoint.Count == 0) reader.Problem("build.entrypoint", "must not be empty");
        var cmd = reader.Strings(build, "cmd", "build");

        return reader.Problems.Count == before ? new ImageBuildSpec(files, dirs, user, entrypoint, cmd) : null;
    }

    public static bool TryParseMode(string text, out UnixFileMode mode)
    {
        mode = 0;
        if (text.Length is 0 or > 4 || text.Any(c => c is < '0' or > '7')) return false;
        mode = (UnixFileMode)Convert.ToInt32(text, 8);
        return true;
    }
}
