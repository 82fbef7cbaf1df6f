using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Resilience.Providers.Docker.Images;

/// <summary>
/// Fingerprint of a local image: its build inputs plus the path, mode and bytes of every entry of its root
/// file system. A changed binary or library (a Debian upgrade) changes it even when the inputs do not.
/// </summary>
public sealed class ContentHasher
{
    // Hashing the ~70 MB of binaries costs 0.2-0.4 s and every plan asks, so remember by identity of the file
    // version — in memory, and across runs in a small cache file (a no-op preview should not read the binaries).
    private readonly ConcurrentDictionary<(string Path, long Length, DateTime Modified), string> _fileHashes = new();
    private readonly string? _cacheFile;
    private readonly Lock _cacheGate = new();

    public ContentHasher(string? cacheFile = null)
    {
        _cacheFile = cacheFile ?? DefaultCacheFile();
        if (_cacheFile is null || !File.Exists(_cacheFile)) return;
        try
        {
            foreach (var line in File.ReadLines(_cacheFile))
            {
                var parts = line.Split('\t');
                if (parts.Length == 4 && long.TryParse(parts[1], out var length) && long.TryParse(parts[2], out var ticks))
                    _fileHashes[(parts[0], length, new DateTime(ticks, DateTimeKind.Utc))] = parts[3];
            }
        }
        catch (IOException)
        {
            // A cache that cannot be read only costs time.
        }
    }

    private static string? DefaultCacheFile()
    {
        var root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home ? Path.Combine(home, ".cache") : null;
        return root is null ? null : Path.Combine(root, "resilience", "file-hashes.tsv");
    }

    private void Remember((string Path, long Length, DateTime Modified) key, string hash)
    {
        if (_cacheFile is null) return;
        try
        {
            lock (_cacheGate)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(_cacheFile)!);
                File.AppendAllText(_cacheFile, $"{key.Path}\t{key.Length}\t{key.Modified.Ticks}\t{hash}\n");
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    public string Compute(JsonNode? buildInputs, RootfsPlan plan)
    {
        var manifest = new StringBuilder();
        manifest.Append(buildInputs?.ToJsonString() ?? "null").Append('\n');
        foreach (var entry in plan.Entries)
        {
            manifest.Append(entry.Kind == RootfsEntryKind.Directory ? 'D' : 'F')
                .Append(' ').Append(entry.Path)
                .Append(' ').Append(Convert.ToString((int)entry.Mode, 8));
            if (entry.Kind == RootfsEntryKind.File) manifest.Append(' ').Append(HashOf(entry));
            manifest.Append('\n');
        }
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(manifest.ToString())));
    }

    private string HashOf(RootfsEntry entry)
    {
        if (entry.Content is not null) return Convert.ToHexStringLower(SHA256.HashData(entry.Content));
        var info = new FileInfo(entry.SourcePath!);
        var key = (info.FullName, info.Length, info.LastWriteTimeUtc);
        if (_fileHashes.TryGetValue(key, out var known)) return known;
        string hash;
        using (var stream = info.OpenRead()) hash = Convert.ToHexStringLower(SHA256.HashData(stream));
        if (_fileHashes.TryAdd(key, hash)) Remember(key, hash);
        return hash;
    }
}
