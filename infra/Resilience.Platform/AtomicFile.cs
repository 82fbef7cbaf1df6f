namespace Resilience.Platform;

/// <summary>
/// Replaces a file so that readers and crashes only ever see the old or the new content, never a part: a temp file in
/// the same directory is written and fsynced, renamed over the target, and the directory is fsynced.
/// </summary>
public static class AtomicFile
{
    /// <param name="mode">The final mode; null keeps the mode of the file it replaces (a new file gets the umask's).</param>
    /// <param name="owner">The final owner; null leaves it to the writing process.</param>
    public static void Write(string path, ReadOnlySpan<byte> content, UnixFileMode? mode = null, UnixUser? owner = null)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no directory");
        Directory.CreateDirectory(directory);
        var finalMode = mode ?? (File.Exists(full) ? File.GetUnixFileMode(full) : null);
        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            // Created owner-only when a mode will be set, so a secret is never readable by others, not even for a moment.
            if (finalMode is not null) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            // chown before chmod: chown clears set-id bits, and the final mode must be exactly what was asked.
            if (owner is { } o) Posix.Chown(temp, o);
            if (finalMode is { } m) File.SetUnixFileMode(temp, m);
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        Posix.FsyncDirectory(directory);
    }
}
