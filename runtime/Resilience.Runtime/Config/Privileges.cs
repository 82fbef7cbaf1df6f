using System.Runtime.InteropServices;

namespace Resilience.Runtime.Config;

/// <summary>
/// Started as root (to read a 0600 config file whoever owns it on the host), the runtime gives root up before it
/// listens: the buffer's directory is handed to the target user (a volume written by an earlier root run included),
/// then the supplementary groups, group and user are set. glibc applies setuid/setgid to every thread.
/// </summary>
public static partial class Privileges
{
    public static bool IsRoot => OperatingSystem.IsLinux() && geteuid() == 0;

    /// <summary>Drops to <paramref name="user"/> when running as root; a no-op otherwise.</summary>
    public static void DropTo(UnixUser user, string bufferPath)
    {
        if (!IsRoot)
        {
            return;
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(bufferPath))!;
        Directory.CreateDirectory(directory);
        Own(directory, user);
        foreach (var entry in Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories))
        {
            Own(entry, user);
        }
        Check(setgroups(0, IntPtr.Zero), "setgroups");
        Check(setgid(user.Gid), "setgid");
        Check(setuid(user.Uid), "setuid");
    }

    private static void Own(string path, UnixUser user) => Check(chown(path, user.Uid, user.Gid), $"chown {path}");

    private static void Check(int result, string what)
    {
        if (result != 0)
        {
            throw new InvalidOperationException($"{what}: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial uint geteuid();

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setuid(uint uid);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setgid(uint gid);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setgroups(nint size, IntPtr list);

    [LibraryImport("libc", EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int chown(string path, uint owner, uint group);
}
