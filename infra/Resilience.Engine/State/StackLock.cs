using System.Diagnostics;
using System.Text.Json;

namespace Resilience.Engine.State;

/// <summary>Who holds a stack's lock, as written in its lock file.</summary>
public sealed record LockInfo(int Pid, string Host, DateTimeOffset Since, string Command)
{
    public override string ToString() => $"pid {Pid} on {Host} since {Since:yyyy-MM-dd HH:mm:ss}Z (command: {Command})";
}

public sealed class StackLockedException(string stack, LockInfo holder, string lockPath)
    : Exception($"stack '{stack}' is locked by {holder}. Wait for it to finish; if that process is gone on another host, delete {lockPath}.")
{
    public LockInfo Holder { get; } = holder;
}

/// <summary>
/// An exclusive lock on one stack: a lock file created with O_EXCL semantics, so two processes cannot both win.
/// A lock left by a dead process on this host is stale and taken over.
/// </summary>
public sealed class StackLock : IDisposable
{
    private readonly string _path;
    private bool _released;

    private StackLock(string path, LockInfo info, string? takeoverNotice)
    {
        _path = path;
        Info = info;
        TakeoverNotice = takeoverNotice;
    }

    public LockInfo Info { get; }

    /// <summary>Set when a stale lock was taken over: says whose.</summary>
    public string? TakeoverNotice { get; }

    public static StackLock Acquire(string path, string stack, string command)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        string? notice = null;
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(5))
        {
            var mine = new LockInfo(Environment.ProcessId, Environment.MachineName, DateTimeOffset.UtcNow, command);
            if (TryCreate(path, mine)) return new StackLock(path, mine, notice);

            var holder = TryRead(path);
            if (holder is null)
            {
                // A creator writes its lock file within milliseconds; one still empty after seconds was left by a
                // process killed between creating and writing it.
                if (IsAbandonedEmpty(path) && TryBreakEmpty(path))
                {
                    notice = $"took over an empty lock file on stack '{stack}' left by a process killed while taking it";
                    continue;
                }
                // Another process has created the file but not written it yet (or just released it).
                Thread.Sleep(25);
                continue;
            }
            if (holder.Host != Environment.MachineName || IsAlive(holder.Pid))
            {
                throw new StackLockedException(stack, holder, path);
            }
            if (TryBreakStale(path, holder))
            {
                notice = $"took over a stale lock on stack '{stack}' held by {holder}: that process is gone";
            }
        }
        throw new IOException($"could not acquire the lock {path}: it keeps changing hands");
    }

    public void Dispose()
    {
        if (_released) return;
        _released = true;
        // Only remove the file if it is still ours: a stale-lock breaker may have (wrongly) replaced it.
        if (TryRead(_path) == Info) File.Delete(_path);
    }

    public static LockInfo? TryRead(string path)
    {
        try
        {
            var bytes = File.ReadAllBytes(path);
            return bytes.Length == 0 ? null : JsonSerializer.Deserialize<LockInfo>(bytes, StateJson.Options);
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            // Gone, still being written by its creator, or locked by it for that moment: not readable yet.
            return null;
        }
    }

    private static bool TryCreate(string path, LockInfo info)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
        using (stream)
        {
            stream.Write(StateJson.Serialize(info));
            stream.Flush(flushToDisk: true);
        }
        return true;
    }

    /// <summary>
    /// Moves the stale file aside (only one breaker can move it) and checks that what was moved is the stale lock,
    /// not a fresh one another breaker created meanwhile; a fresh one is put back.
    /// </summary>
    private static bool IsAbandonedEmpty(string path)
    {
        var info = new FileInfo(path);
        return info.Exists && info.Length == 0 && DateTime.UtcNow - info.LastWriteTimeUtc > TimeSpan.FromSeconds(2);
    }

    private static bool TryBreakEmpty(string path)
    {
        var aside = $"{path}.empty.{Environment.ProcessId}.{Guid.NewGuid():N}";
        try
        {
            File.Move(path, aside);
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        if (new FileInfo(aside).Length == 0)
        {
            File.Delete(aside);
            return true;
        }
        try
        {
            File.Move(aside, path);
        }
        catch (IOException)
        {
            File.Delete(aside);
        }
        return false;
    }

    private static bool TryBreakStale(string path, LockInfo stale)
    {
        var aside = $"{path}.stale.{Environment.ProcessId}.{Guid.NewGuid():N}";
        try
        {
            File.Move(path, aside);
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        if (TryRead(aside) == stale)
        {
            File.Delete(aside);
            return true;
        }
        try
        {
            File.Move(aside, path);
        }
        catch (IOException)
        {
            File.Delete(aside);
        }
        return false;
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
