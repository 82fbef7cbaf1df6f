using System.Text;

namespace Resilience.Providers.Docker.Images;

public enum RootfsEntryKind
{
    Directory,
    File,
}

/// <summary>One path of the image's root file system: a directory, a copy of a host file, or inline bytes.</summary>
/// <param name="Path">Absolute path inside the image.</param>
/// <param name="SourcePath">The host file to copy (symlinks already resolved), for files without inline content.</param>
public sealed record RootfsEntry(string Path, RootfsEntryKind Kind, UnixFileMode Mode, string? SourcePath = null, byte[]? Content = null);

/// <summary>
/// The complete, ordered list of what a local image contains. Both the tar writer and the content hash read
/// this one list, so the hash covers exactly what the image holds (including the shared libraries).
/// </summary>
public sealed class RootfsPlan
{
    private const UnixFileMode DirectoryDefault = (UnixFileMode)0b111_101_101; // 0755
    private const UnixFileMode WorldWritableSticky = (UnixFileMode)0b1_111_111_111; // 1777
    private const UnixFileMode ReadableFile = (UnixFileMode)0b110_100_100; // 0644

    private static readonly byte[] Passwd = Encoding.ASCII.GetBytes(
        "root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n");

    private static readonly byte[] Group = Encoding.ASCII.GetBytes("root:x:0:\nnogroup:x:65534:\n");

    private RootfsPlan(IReadOnlyList<RootfsEntry> entries) => Entries = entries;

    /// <summary>Sorted by path, so parents precede children.</summary>
    public IReadOnlyList<RootfsEntry> Entries { get; }

    public static RootfsPlan For(ImageBuild build, ISharedLibraryResolver libraries)
    {
        var entries = new SortedDictionary<string, RootfsEntry>(StringComparer.Ordinal);
        void Put(RootfsEntry entry) => entries[entry.Path] = entry;

        Put(new RootfsEntry("/etc", RootfsEntryKind.Directory, DirectoryDefault));
        Put(new RootfsEntry("/tmp", RootfsEntryKind.Directory, WorldWritableSticky));
        Put(new RootfsEntry("/etc/passwd", RootfsEntryKind.File, ReadableFile, Content: Passwd));
        Put(new RootfsEntry("/etc/group", RootfsEntryKind.File, ReadableFile, Content: Group));

        foreach (var copy in build.Files ?? [])
        {
            foreach (var entry in HostTree.Copy(copy)) Put(entry);
        }

        var binaries = entries.Values.Where(e => e.SourcePath is not null && ElfFile.Is(e.SourcePath)).Select(e => e.SourcePath!).ToList();
        foreach (var library in binaries.SelectMany(libraries.Resolve).Distinct(StringComparer.Ordinal))
        {
            if (!entries.ContainsKey(library)) Put(HostTree.FileEntry(library, library));
        }

        foreach (var dir in build.Dirs ?? []) Put(new RootfsEntry(Normalize(dir.Path), RootfsEntryKind.Directory, dir.ModeOrDefault));

        foreach (var path in entries.Keys.ToList())
        {
            for (var parent = ParentOf(path); parent is not null; parent = ParentOf(parent))
            {
                if (!entries.ContainsKey(parent)) Put(new RootfsEntry(parent, RootfsEntryKind.Directory, DirectoryDefault));
            }
        }
        return new RootfsPlan(entries.Values.ToList());
    }

    internal static string Normalize(string path) => "/" + string.Join('/', path.Split('/', StringSplitOptions.RemoveEmptyEntries));

    private static string? ParentOf(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? null : path[..slash];
    }
}
