using Resilience.Runtime.Config;
using Resilience.Runtime.Ingest;

namespace Resilience.Runtime.Tests.Unit;

public sealed class FileBufferTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rt-buffer-").FullName;

    private BufferConfig Config(long maxBytes = 4096) =>
        new(Path.Combine(_dir, "sub", "buffer.log"), maxBytes, FsyncPolicy.Always, TimeSpan.FromSeconds(1));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Replays_records_in_append_order_and_empties_the_file()
    {
        using var buffer = new FileBuffer(Config());
        buffer.TryAppend([1, 2, 3]);
        buffer.TryAppend([4]);
        Assert.Equal(2, buffer.PendingRecords);
        Assert.Equal([1, 2, 3], buffer.Peek());
        buffer.Commit(3);
        Assert.Equal([4], buffer.Peek());
        buffer.Commit(1);
        Assert.True(buffer.IsEmpty);
        Assert.Null(buffer.Peek());
        Assert.Equal(0, buffer.FileBytes);
    }

    [Fact]
    public void Survives_a_restart_keeping_the_replay_offset()
    {
        using (var buffer = new FileBuffer(Config()))
        {
            buffer.TryAppend([1]);
            buffer.TryAppend([2]);
            buffer.TryAppend([3]);
            buffer.Commit(buffer.Peek()!.Length);
        }
        using var reopened = new FileBuffer(Config());
        Assert.Equal(2, reopened.PendingRecords);
        Assert.Equal([2], reopened.Peek());
    }

    [Fact]
    public void Cuts_a_torn_tail_left_by_a_crash()
    {
        var config = Config();
        using (var buffer = new FileBuffer(config))
        {
            buffer.TryAppend([7, 7]);
        }
        File.AppendAllText(config.Path, "\u0005\0\0\0garbage"); // header promising more than was written
        using var reopened = new FileBuffer(config);
        Assert.Equal(1, reopened.PendingRecords);
        Assert.Equal(10, reopened.FileBytes);
        Assert.True(reopened.TryAppend([8]));
        reopened.Commit(reopened.Peek()!.Length);
        Assert.Equal([8], reopened.Peek());
    }

    [Fact]
    public void Refuses_appends_beyond_max_bytes()
    {
        using var buffer = new FileBuffer(Config(maxBytes: 4096));
        var record = new byte[1000];
        var accepted = 0;
        while (buffer.TryAppend(record))
        {
            accepted++;
        }
        Assert.Equal(4, accepted);
        Assert.True(buffer.FileBytes <= 4096);
    }
}
