using Resilience.Platform;

namespace Resilience.Runtime.Config;

/// <summary>
/// Started as root (to read a 0600 config file whoever owns it on the host), the runtime gives root up before it
/// listens: the buffer's directory is handed to the target user (a volume written by an earlier root run included),
/// then the supplementary groups, group and user are set.
/// </summary>
public static class Privileges
{
    public static bool IsRoot => Posix.IsRoot;

    /// <summary>Drops to <paramref name="user"/> when running as root; a no-op otherwise.</summary>
    public static void DropTo(UnixUser user, string bufferPath)
    {
        if (!IsRoot)
        {
            return;
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(bufferPath))!;
        Directory.CreateDirectory(directory);
        Posix.Chown(directory, user);
        foreach (var entry in Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories))
        {
            Posix.Chown(entry, user);
        }
        Posix.BecomeUser(user);
    }
}
