using Resilience.Runtime.Config;
using Resilience.Runtime.Contracts;
using Resilience.Runtime.Ingest;

namespace Resilience.Runtime.Tests.Unit;

public sealed class FileBufferTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rt-buffer-").FullName;

    private BufferConfig Config(long maxBytes = 4096) =>
        new() { Path = Path.Combine(_dir, "sub", "buffer.log"), MaxBytes = maxBytes, Fsync = FsyncPolicy.Always, FsyncInterval = TimeSpan.FromSeconds(1) };

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

    /// <summary>
    /// A stale offset (a crash between emptying the file and deleting its offset) once made the next run skip records
    /// it had acknowledged: 50 of 100 in the reviewer's run. Now an offset that is not a record boundary means a
    /// replay from the start, and it is saved as such, so a second restart cannot resurrect it.
    /// </summary>
    [Theory]
    [InlineData("5400")] // past the end of what is there now
    [InlineData("13")] // inside a record
    [InlineData("")] // a power cut after the rename of an unflushed write
    [InlineData("-8")]
    [InlineData("garbage")]
    public void An_offset_that_is_not_a_record_boundary_replays_everything_and_is_forgotten(string offset)
    {
        var config = Config();
        using (var buffer = new FileBuffer(config))
        {
            for (byte i = 1; i <= 2; i++) Assert.True(buffer.TryAppend([i, i, i])); // records at 0 and 11
        }
        File.WriteAllText(config.Path + ".offset", offset);
        using (var buffer = new FileBuffer(config))
        {
            Assert.Equal(2, buffer.PendingRecords);
            for (byte i = 3; i <= 5; i++) Assert.True(buffer.TryAppend([i, i, i]));
        }
        Assert.False(File.Exists(config.Path + ".offset"));
        using var reopened = new FileBuffer(config);
        Assert.Equal(5, reopened.PendingRecords);
        Assert.Equal([1, 1, 1], reopened.Peek());
    }

    [Fact]
    public void Zeros_after_the_last_record_are_not_records()
    {
        var config = Config();
        using (var buffer = new FileBuffer(config))
        {
            buffer.TryAppend([9]);
        }
        File.AppendAllBytes(config.Path, new byte[64]); // extended but never written before a power cut
        using var reopened = new FileBuffer(config);
        Assert.Equal(1, reopened.PendingRecords);
        Assert.Equal(9, reopened.FileBytes);
    }

    [Fact]
    public void Emptying_the_buffer_removes_the_offset_before_the_data()
    {
        var config = Config();
        using var buffer = new FileBuffer(config);
        buffer.TryAppend([1]);
        buffer.TryAppend([2]);
        buffer.Commit(1);
        Assert.Equal("9", File.ReadAllText(config.Path + ".offset"));
        buffer.Commit(1);
        Assert.False(File.Exists(config.Path + ".offset"));
        Assert.Equal(0, buffer.FileBytes);
    }

    /// <summary>
    /// After a long outage the buffer drains while new pushes queue behind it. The bound is on what is not yet
    /// replayed: appends go on as records drain (the replayed prefix is dropped by a rewrite), and the file stays
    /// within the bound. Before, the replayed prefix counted too, and pushes were refused while the backlog shrank.
    /// </summary>
    [Fact]
    public void Appends_behind_a_draining_replay_are_taken_and_the_file_stays_bounded()
    {
        var config = Config(maxBytes: 4096);
        var buffer = new FileBuffer(config);
        var record = new byte[1000];
        for (var i = 0; i < 4; i++) Assert.True(buffer.TryAppend(Filled(record, i)));
        Assert.False(buffer.TryAppend(record));
        for (var i = 4; i < 40; i++)
        {
            Assert.Equal(Filled(record, i - 4), buffer.Peek());
            buffer.Commit(record.Length);
            Assert.True(buffer.TryAppend(Filled(record, i)), $"append {i} refused with {buffer.PendingBytes} bytes pending");
            Assert.True(buffer.FileBytes <= 4096, $"file at {buffer.FileBytes} bytes");
        }
        buffer.Dispose();

        using var reopened = new FileBuffer(config);
        Assert.Equal(4, reopened.PendingRecords);
        for (var i = 36; i < 40; i++)
        {
            Assert.Equal(Filled(record, i), reopened.Peek());
            reopened.Commit(record.Length);
        }
        Assert.True(reopened.IsEmpty);
    }

    private static byte[] Filled(byte[] template, int value)
    {
        var copy = (byte[])template.Clone();
        Array.Fill(copy, (byte)value);
        return copy;
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
