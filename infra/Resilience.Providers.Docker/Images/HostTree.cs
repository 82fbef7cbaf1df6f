namespace Resilience.Providers.Docker.Images;

/// <summary>Turns a host file or directory into root file system entries, following symlinks to real files.</summary>
internal static class HostTree
{
    public static IEnumerable<RootfsEntry> Copy(ImageFile copy)
    {
        var target = RootfsPlan.Normalize(copy.To);
        var excluded = (copy.Exclude ?? []).Select(e => e.Trim('/')).ToHashSet(StringComparer.Ordinal);
        return Directory.Exists(copy.From)
            ? Walk(copy.From, target, "", excluded, [])
            : [FileEntry(copy.From, target)];
    }

    public static RootfsEntry FileEntry(string hostPath, string imagePath)
    {
        var real = RealPath(hostPath);
        return new RootfsEntry(RootfsPlan.Normalize(imagePath), RootfsEntryKind.File, ModeOf(real), SourcePath: real);
    }

    private static IEnumerable<RootfsEntry> Walk(string hostDir, string imageDir, string relative, HashSet<string> excluded, HashSet<string> ancestors)
    {
        var real = RealPath(hostDir);
        // A symlink pointing back up the tree would otherwise recurse forever.
        if (!ancestors.Add(real)) yield break;
        yield return new RootfsEntry(imageDir, RootfsEntryKind.Directory, ModeOf(real));
        foreach (var child in Directory.EnumerateFileSystemEntries(hostDir).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(child);
            var childRelative = relative.Length == 0 ? name : $"{relative}/{name}";
            if (excluded.Contains(childRelative)) continue;
            var childImage = $"{imageDir}/{name}";
            if (Directory.Exists(child))
            {
                foreach (var entry in Walk(child, childImage, childRelative, excluded, ancestors)) yield return entry;
            }
            else if (File.Exists(child))
            {
                yield return FileEntry(child, childImage);
            }
            // A dangling symlink has nothing to copy: skipped.
        }
        ancestors.Remove(real);
    }

    // Images are Linux root file systems; a Windows host has no modes to carry over.
    private static UnixFileMode ModeOf(string path) =>
        OperatingSystem.IsWindows() ? (UnixFileMode)0b111_101_101 : File.GetUnixFileMode(path);

    /// <summary>Like realpath(3): every symlink on the way resolved, since a relative link target is relative
    /// to the real directory holding the link, not to the path it was reached by.</summary>
    private static string RealPath(string path, int depth = 0)
    {
        if (depth > 40) throw new IOException($"too many levels of symbolic links at {path}");
        var current = "/";
        foreach (var part in Path.GetFullPath(path).Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Join(current, part);
            var target = new FileInfo(next).LinkTarget;
            if (target is not null)
            {
                next = RealPath(Path.IsPathRooted(target) ? target : Path.Join(current, target), depth + 1);
            }
            current = next;
        }
        return current;
    }
}
