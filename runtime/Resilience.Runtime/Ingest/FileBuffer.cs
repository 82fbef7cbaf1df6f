using System.Buffers.Binary;
using Resilience.Runtime.Config;

namespace Resilience.Runtime.Ingest;

/// <summary>
/// The last tier: an append-only file of records <c>[u32 length][u32 crc32][payload]</c> plus a sidecar
/// <c>.offset</c> file holding how far replay has got. Records are read back in append order; the file is
/// emptied once everything is replayed. <see cref="BufferConfig.MaxBytes"/> bounds the records not yet replayed and
/// the file: when appends behind a draining replay would outgrow it, the replayed prefix is dropped by rewriting the
/// rest into a new file. A torn tail left by a crash is cut off when the buffer is opened. The forwarder serialises
/// appends and replay.
/// <para>
/// Whatever a crash or a failed write leaves, an acknowledged record is never skipped: an offset that is unreadable or
/// not on a record boundary means "replay from the start" (a record a hub already holds is refused and dropped), a
/// failed append is cut back off (and refused to its caller), and the offset file goes before the data it points into.
/// </para>
/// </summary>
public sealed class FileBuffer : IDisposable
{
    private const int HeaderSize = 8;
    private readonly BufferConfig _config;
    private readonly Lock _gate = new();
    private readonly string _offsetPath;
    private FileStream _file;
    private readonly Timer? _flusher;
    private long _offset;
    private bool _dirty;

    public FileBuffer(BufferConfig config)
    {
        _config = config;
        var directory = Path.GetDirectoryName(Path.GetFullPath(config.Path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        _file = Open(config.Path);
        _offsetPath = config.Path + ".offset";
        _offset = ReadOffset();
        RecoverTail();
        if (config.Fsync == FsyncPolicy.Interval)
        {
            _flusher = new Timer(_ => FlushIfDirty(), null, config.FsyncInterval, config.FsyncInterval);
        }
    }

    public long PendingBytes
    {
        get
        {
            lock (_gate)
            {
                return _file.Length - _offset;
            }
        }
    }

    public long FileBytes
    {
        get
        {
            lock (_gate)
            {
                return _file.Length;
            }
        }
    }

    public int PendingRecords { get; private set; }

    public bool IsEmpty => PendingRecords == 0;

    public bool TryAppend(ReadOnlySpan<byte> payload)
    {
        lock (_gate)
        {
            if (_file.Length - _offset + HeaderSize + payload.Length > _config.MaxBytes)
            {
                return false;
            }
            if (_file.Length + HeaderSize + payload.Length > _config.MaxBytes)
            {
                try
                {
                    Compact();
                }
                catch (IOException)
                {
                    File.Delete(_config.Path + ".compact");
                    return false;
                }
            }
            Span<byte> header = stackalloc byte[HeaderSize];
            BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)payload.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(header[4..], Crc32.Compute(payload));
            var end = _file.Length;
            try
            {
                _file.Seek(end, SeekOrigin.Begin);
                _file.Write(header);
                _file.Write(payload);
                Durable(_file);
            }
            catch (IOException)
            {
                // A full disk or an I/O error: cut the partial record off, so the records after it stay reachable.
                try
                {
                    _file.SetLength(end);
                }
                catch (IOException)
                {
                    // Left for the start-up scan, which cuts a torn tail; this push is refused either way.
                }
                return false;
            }
            PendingRecords++;
            return true;
        }
    }

    /// <summary>The oldest record not yet replayed, or null when the buffer is empty.</summary>
    public byte[]? Peek()
    {
        lock (_gate)
        {
            return PendingRecords == 0 ? null : ReadAt(_offset) ?? throw new InvalidDataException($"{_config.Path}: record at {_offset} is corrupt");
        }
    }

    /// <summary>Marks the record returned by <see cref="Peek"/> as delivered.</summary>
    public void Commit(int payloadLength)
    {
        lock (_gate)
        {
            // The count drops only once the file says so: a reader of PendingRecords (metrics, unlocked) that sees
            // 0 also sees the empty file. A write that throws leaves the fields as they were (the record is re-sent).
            if (PendingRecords == 1)
            {
                // Everything delivered: start over with an empty file. The offset goes first: a crash in between
                // leaves the whole file to replay, never an offset past the end of new records.
                File.Delete(_offsetPath);
                _file.SetLength(0);
                Durable(_file);
                _offset = 0;
            }
            else
            {
                WriteOffset(_offset + HeaderSize + payloadLength);
                _offset += HeaderSize + payloadLength;
            }
            PendingRecords--;
        }
    }

    public void Dispose()
    {
        _flusher?.Dispose();
        lock (_gate)
        {
            _file.Flush(flushToDisk: true);
            _file.Dispose();
        }
    }

    /// <summary>
    /// Rewrites the records not yet replayed into a new file that replaces this one. A crash before the rename keeps the
    /// old file, whose offset is deleted first (so it replays whole: duplicates a hub refuses, nothing skipped); after
    /// it, the new file holds only what is pending, at offset 0.
    /// </summary>
    private void Compact()
    {
        var temp = _config.Path + ".compact";
        using (var target = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            var buffer = new byte[1 << 20];
            for (var position = _offset; position < _file.Length;)
            {
                var read = RandomAccess.Read(_file.SafeFileHandle, buffer, position);
                target.Write(buffer, 0, read);
                position += read;
            }
            target.Flush(flushToDisk: true);
        }
        File.Delete(_offsetPath);
        File.Move(temp, _config.Path, overwrite: true);
        _file.Dispose();
        _file = Open(_config.Path);
        _offset = 0;
    }

    private static FileStream Open(string path) => new(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);

    private void WriteOffset(long offset)
    {
        var temp = _offsetPath + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            stream.Write(System.Text.Encoding.ASCII.GetBytes(offset.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            // Always flushed: renamed unflushed, a power cut can leave an empty offset file.
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, _offsetPath, overwrite: true);
    }

    /// <summary>The saved offset: 0 when there is none, -1 (no record boundary, so a replay from the start) when unreadable.</summary>
    private long ReadOffset()
    {
        try
        {
            if (!File.Exists(_offsetPath))
            {
                return 0;
            }
            return long.TryParse(File.ReadAllText(_offsetPath).Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var offset)
                ? offset
                : -1;
        }
        catch (IOException)
        {
            return -1;
        }
    }

    private void Durable(FileStream stream)
    {
        if (_config.Fsync == FsyncPolicy.Always)
        {
            stream.Flush(flushToDisk: true);
        }
        else
        {
            _dirty = true;
        }
    }

    private void FlushIfDirty()
    {
        lock (_gate)
        {
            if (_dirty && _file.CanWrite)
            {
                try
                {
                    _file.Flush(flushToDisk: true);
                    _dirty = false;
                }
                catch (IOException)
                {
                    // On a timer thread an exception would end the process; the next tick tries again.
                }
            }
        }
    }

    private byte[]? ReadAt(long position)
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        if (position + HeaderSize > _file.Length || RandomAccess.Read(_file.SafeFileHandle, header, position) < HeaderSize)
        {
            return null;
        }
        var length = BinaryPrimitives.ReadUInt32LittleEndian(header);
        // Never written empty: zeros (a file extended but not written before a power cut) are not a record.
        if (length == 0 || length > _config.MaxBytes || position + HeaderSize + length > _file.Length)
        {
            return null;
        }
        var payload = new byte[length];
        if (RandomAccess.Read(_file.SafeFileHandle, payload, position + HeaderSize) < length
            || Crc32.Compute(payload) != BinaryPrimitives.ReadUInt32LittleEndian(header[4..]))
        {
            return null;
        }
        return payload;
    }

    /// <summary>
    /// Walks every record from the start: cuts a torn tail (a crash mid-append: never acknowledged), and keeps the saved
    /// offset only if it is a record boundary; otherwise (stale, from a crash between truncating and deleting it in an
    /// older version, or damaged) replays from the start and saves that.
    /// </summary>
    private void RecoverTail()
    {
        var boundaries = new List<long> { 0 };
        var position = 0L;
        while (ReadAt(position) is { } record)
        {
            position += HeaderSize + record.Length;
            boundaries.Add(position);
        }
        if (position < _file.Length)
        {
            _file.SetLength(position);
            _file.Flush(flushToDisk: true);
        }
        var at = boundaries.BinarySearch(_offset);
        if (at < 0)
        {
            _offset = 0;
            at = 0;
            File.Delete(_offsetPath);
        }
        PendingRecords = boundaries.Count - 1 - at;
    }
}
