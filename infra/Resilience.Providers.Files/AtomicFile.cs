namespace Resilience.Providers.Files;

/// <summary>Writes a file so that readers see the old or the new content, never a part, even across a crash.</summary>
public static class AtomicFile
{
    public static void Write(string path, ReadOnlySpan<byte> content, UnixFileMode mode, FileOwner? owner)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("file modes and owners need Linux");
        var directory = Path.GetDirectoryName(path) ?? throw new ArgumentException($"'{path}' has no directory");
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            // Created owner-only, so a secret is never readable by others, not even for a moment.
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            };
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            // chown before chmod: chown clears set-id bits, and the final mode must be exactly what was asked.
            if (owner is { } o) Posix.Chown(temp, o);
            File.SetUnixFileMode(temp, mode);
            File.Move(temp, path, overwrite: true);
            Posix.FsyncDirectory(directory);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
