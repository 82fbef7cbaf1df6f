using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Resilience.Platform;

/// <summary>The few POSIX calls .NET does not expose: ownership, a file's inode, fsync of a directory, and giving root up.</summary>
public static partial class Posix
{
    private const int AtCurrentDirectory = -100;
    private const uint StatxUid = 0x8;
    private const uint StatxGid = 0x10;
    private const uint StatxMtime = 0x40;
    private const uint StatxIno = 0x100;
    private const uint StatxFileSize = 0x200;

    // struct statx has the same layout on every Linux architecture: stx_uid at 20, stx_gid at 24, 256 bytes in all.
    private const int StatxSize = 256;
    private const int StatxUidOffset = 20;
    private const int StatxInoOffset = 32;
    private const int StatxFileSizeOffset = 40;
    private const int StatxMtimeOffset = 112;
    private const int StatxGidOffset = 24;

    public static bool IsRoot => OperatingSystem.IsLinux() && geteuid() == 0;

    public static void Chown(string path, UnixUser owner)
    {
        if (chown(path, owner.Uid, owner.Gid) != 0) throw LastError($"chown {owner} {path}");
    }

    public static unsafe UnixUser OwnerOf(string path)
    {
        var buffer = stackalloc byte[StatxSize];
        if (statx(AtCurrentDirectory, path, 0, StatxUid | StatxGid, buffer) != 0) throw LastError($"statx {path}");
        return new UnixUser(*(uint*)(buffer + StatxUidOffset), *(uint*)(buffer + StatxGidOffset));
    }

    /// <summary>Which version of a file is on disk, without reading it: inode, size and modification time.</summary>
    /// <exception cref="FileNotFoundException">The file is missing or cannot be reached.</exception>
    public static unsafe FileStamp StampOf(string path)
    {
        var buffer = stackalloc byte[StatxSize];
        if (statx(AtCurrentDirectory, path, 0, StatxIno | StatxFileSize | StatxMtime, buffer) != 0)
            throw new FileNotFoundException($"cannot stat {path} (errno {Marshal.GetLastPInvokeError()})", path);
        var seconds = *(long*)(buffer + StatxMtimeOffset);
        var nanoseconds = *(uint*)(buffer + StatxMtimeOffset + 8);
        var modified = DateTime.UnixEpoch.AddTicks(seconds * TimeSpan.TicksPerSecond + nanoseconds / 100);
        return new FileStamp(*(ulong*)(buffer + StatxInoOffset), *(long*)(buffer + StatxFileSizeOffset), modified);
    }

    /// <summary>Makes a rename inside the directory durable: without it a power cut can bring the old name back.</summary>
    public static void FsyncDirectory(string directory)
    {
        var fd = open(directory, 0 /* O_RDONLY */);
        if (fd < 0) throw LastError($"open {directory}");
        try
        {
            if (fsync(fd) != 0) throw LastError($"fsync {directory}");
        }
        finally
        {
            _ = close(fd);
        }
    }

    /// <summary>
    /// Drops the supplementary groups, then the group, then the user (in that order: after setuid the others are
    /// refused). glibc applies setuid/setgid to every thread of the process.
    /// </summary>
    public static void BecomeUser(UnixUser user)
    {
        if (setgroups(0, IntPtr.Zero) != 0) throw LastError("setgroups");
        if (setgid(user.Gid) != 0) throw LastError($"setgid {user.Gid}");
        if (setuid(user.Uid) != 0) throw LastError($"setuid {user.Uid}");
    }

    private static IOException LastError(string what)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{what}: {new Win32Exception(errno).Message}");
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int chown(string path, uint owner, uint group);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int statx(int dirfd, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial uint geteuid();

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setuid(uint uid);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setgid(uint gid);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setgroups(nint size, IntPtr list);
}

/// <summary>A file's identity on disk: the same inode, size and modification time mean the same content.</summary>
public readonly record struct FileStamp(ulong Inode, long Size, DateTime Modified);
