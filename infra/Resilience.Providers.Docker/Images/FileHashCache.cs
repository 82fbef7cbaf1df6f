using System.Collections.Concurrent;
using Resilience.Platform;

namespace Resilience.Providers.Docker.Images;

/// <summary>
/// SHA-256 of host files, remembered by the identity of the file version (path, size, mtime, inode) in memory and
/// across runs in a small cache file: hashing the ~70 MB of binaries costs 0.2-0.4 s, and a preview of an unchanged
/// stack should read none of them. A replaced file (new inode) or a rewritten one (new mtime or size) is hashed again.
/// </summary>
public sealed class FileHashCache
{
    /// <summary>
    /// A file changed again within the same timestamp tick (Linux stamps files with a coarse clock) would keep its
    /// mtime and size: like git's "racily clean" entries, a file modified this recently is hashed but not remembered.
    /// </summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<FileVersion, string> _known = new();
    private readonly string? _cacheFile;
    private readonly Lock _appendGate = new();
    private int _computed;

    /// <param name="cacheFile">Where the hashes persist; null keeps them in memory only.</param>
    public FileHashCache(string? cacheFile)
    {
        _cacheFile = cacheFile;
        if (_cacheFile is null || !File.Exists(_cacheFile)) return;
        try
        {
            foreach (var line in File.ReadLines(_cacheFile))
            {
                if (FileVersion.TryParse(line, out var version, out var hash)) _known[version] = hash;
            }
        }
        catch (IOException)
        {
            // A cache that cannot be read only costs time.
        }
    }

    /// <summary>The cache in $XDG_CACHE_HOME (or ~/.cache)/resilience/file-hashes.tsv.</summary>
    public static FileHashCache Default()
    {
        var root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home ? Path.Combine(home, ".cache") : null;
        return new FileHashCache(root is null ? null : Path.Combine(root, "resilience", "file-hashes.tsv"));
    }

    /// <summary>How many files this instance has read and hashed (the rest came from the cache).</summary>
    public int Computed => _computed;

    /// <summary>Lower-case hex SHA-256 of the file's bytes.</summary>
    public string HashOf(string path)
    {
        var version = FileVersion.Of(path);
        if (_known.TryGetValue(version, out var known)) return known;
        string hash;
        using (var stream = File.OpenRead(path)) hash = ContentHash.Hex(stream);
        Interlocked.Increment(ref _computed);
        if (DateTime.UtcNow - version.Modified < Settle) return hash;
        if (_known.TryAdd(version, hash)) Remember(version, hash);
        return hash;
    }

    private void Remember(FileVersion version, string hash)
    {
        if (_cacheFile is null) return;
        try
        {
            lock (_appendGate)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(_cacheFile)!);
                File.AppendAllText(_cacheFile, version.Format(hash) + "\n");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not remembering only costs time next run.
        }
    }

    private readonly record struct FileVersion(string Path, long Size, DateTime Modified, ulong Inode)
    {
        public static FileVersion Of(string path)
        {
            var full = System.IO.Path.GetFullPath(path);
            var stamp = Posix.StampOf(full);
            return new FileVersion(full, stamp.Size, stamp.Modified, stamp.Inode);
        }

        public string Format(string hash) => $"{Path}\t{Size}\t{Modified.Ticks}\t{Inode}\t{hash}";

        public static bool TryParse(string line, out FileVersion version, out string hash)
        {
            version = default;
            hash = "";
            var parts = line.Split('\t');
            // Lines of the older format (no inode) are skipped: their files are hashed once more.
            if (parts.Length != 5 || !long.TryParse(parts[1], out var size) || !long.TryParse(parts[2], out var ticks) || !ulong.TryParse(parts[3], out var inode))
                return false;
            version = new FileVersion(parts[0], size, new DateTime(ticks, DateTimeKind.Utc), inode);
            hash = parts[4];
            return true;
        }
    }
}
