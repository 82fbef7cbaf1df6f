using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Resilience.Providers.Files;

/// <summary>The few POSIX calls .NET does not expose: ownership, and fsync of a directory.</summary>
internal static partial class Posix
{
    private const int AtCurrentDirectory = -100;
    private const uint StatxUid = 0x8;
    private const uint StatxGid = 0x10;

    // struct statx has the same layout on every Linux architecture: stx_uid at 20, stx_gid at 24, 256 bytes in all.
    private const int StatxSize = 256;
    private const int StatxUidOffset = 20;
    private const int StatxGidOffset = 24;

    public static void Chown(string path, FileOwner owner)
    {
        if (chown(path, owner.Uid, owner.Gid) != 0) throw LastError($"chown {owner} {path}");
    }

    public static unsafe FileOwner OwnerOf(string path)
    {
        var buffer = stackalloc byte[StatxSize];
        if (statx(AtCurrentDirectory, path, 0, StatxUid | StatxGid, buffer) != 0) throw LastError($"statx {path}");
        return new FileOwner(*(uint*)(buffer + StatxUidOffset), *(uint*)(buffer + StatxGidOffset));
    }

    /// <summary>Makes a rename inside the directory durable.</summary>
    public static void FsyncDirectory(string directory)
    {
        var fd = open(directory, 0);
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
}
