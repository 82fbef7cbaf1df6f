namespace Resilience.Platform;

/// <summary>
/// The content a config file had before its last write, kept beside it ("prometheus.yml.previous"), so that the service
/// reading it can be put back on it when it refuses the new one. The writer keeps it; whoever reloads the service restores it.
/// </summary>
public static class PreviousContent
{
    public static string PathOf(string path) => path + ".previous";

    /// <summary>Copies the file's current content aside (same mode) before it is replaced; nothing when there is no file.</summary>
    public static void Keep(string path)
    {
        byte[] current;
        try
        {
            current = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return;
        }
        AtomicFile.Write(PathOf(path), current, File.GetUnixFileMode(path));
    }

    /// <summary>Puts the kept content back in place (atomically). False when none was kept.</summary>
    public static bool Restore(string path)
    {
        var previous = PathOf(path);
        if (!File.Exists(previous)) return false;
        File.Move(previous, path, overwrite: true);
        Posix.FsyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        return true;
    }

    public static void Forget(string path) => File.Delete(PathOf(path));
}
