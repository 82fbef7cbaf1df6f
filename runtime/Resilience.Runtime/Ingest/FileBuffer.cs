using System.Buffers.Binary;
using Resilience.Runtime.Config;

namespace Resilience.Runtime.Ingest;

/// <summary>
/// The last tier: an append-only file of records <c>[u32 length][u32 crc32][payload]</c> plus a sidecar
/// <c>.offset</c> file holding how far replay has got. Records are read back in append order; the file is
/// emptied once everything is replayed. Bounded by <see cref="BufferConfig.MaxBytes"/>; a torn tail left by a
/// crash is cut off when the buffer is opened. Not thread-safe: the forwarder serialises access.
/// </summary>
public sealed class FileBuffer : IDisposable
{
    private const int HeaderSize = 8;
    private readonly BufferConfig _config;
    private readonly FileStream _file;
    private readonly string _offsetPath;
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
        _file = new FileStream(config.Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        _offsetPath = config.Path + ".offset";
        _offset = File.Exists(_offsetPath) ? long.Parse(File.ReadAllText(_offsetPath).Trim(), System.Globalization.CultureInfo.InvariantCulture) : 0;
        RecoverTail();
        if (config.Fsync == FsyncPolicy.Interval)
        {
            _flusher = new Timer(_ => FlushIfDirty(), null, config.FsyncInterval, config.FsyncInterval);
        }
    }

    public long PendingBytes => _file.Length - _offset;

    public long FileBytes => _file.Length;

    public int PendingRecords { get; private set; }

    public bool IsEmpty => PendingRecords == 0;

    public bool TryAppend(ReadOnlySpan<byte> payload)
    {
        lock (_file)
        {
            if (_file.Length + HeaderSize + payload.Length > _config.MaxBytes)
            {
                return false;
            }
            Span<byte> header = stackalloc byte[HeaderSize];
            BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)payload.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(header[4..], Crc32.Compute(payload));
            _file.Seek(0, SeekOrigin.End);
            _file.Write(header);
            _file.Write(payload);
            PendingRecords++;
            Durable(_file);
            return true;
        }
    }

    /// <summary>The oldest record not yet replayed, or null when the buffer is empty.</summary>
    public byte[]? Peek()
    {
        lock (_file)
        {
            return PendingRecords == 0 ? null : ReadAt(_offset) ?? throw new InvalidDataException($"{_config.Path}: record at {_offset} is corrupt");
        }
    }

    /// <summary>Marks the record returned by <see cref="Peek"/> as delivered.</summary>
    public void Commit(int payloadLength)
    {
        lock (_file)
        {
            // The count drops only once the file says so: a reader of PendingRecords (metrics, unlocked) that sees
            // 0 also sees the empty file.
            _offset += HeaderSize + payloadLength;
            if (PendingRecords == 1)
            {
                // Everything delivered: start over with an empty file.
                _file.SetLength(0);
                _offset = 0;
                Durable(_file);
                File.Delete(_offsetPath);
            }
            else
            {
                WriteOffset();
            }
            PendingRecords--;
        }
    }

    public void Dispose()
    {
        _flusher?.Dispose();
        lock (_file)
        {
            _file.Flush(flushToDisk: true);
            _file.Dispose();
        }
    }

    private void WriteOffset()
    {
        var temp = _offsetPath + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            stream.Write(System.Text.Encoding.ASCII.GetBytes(_offset.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            if (_config.Fsync == FsyncPolicy.Always)
            {
                stream.Flush(flushToDisk: true);
            }
        }
        File.Move(temp, _offsetPath, overwrite: true);
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
        lock (_file)
        {
            if (_dirty && _file.CanWrite)
            {
                _file.Flush(flushToDisk: true);
                _dirty = false;
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
        if (length > _config.MaxBytes || position + HeaderSize + length > _file.Length)
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

    private void RecoverTail()
    {
        if (_offset > _file.Length)
        {
            _offset = 0;
        }
        var position = _offset;
        while (ReadAt(position) is { } record)
        {
            position += HeaderSize + record.Length;
            PendingRecords++;
        }
        if (position < _file.Length)
        {
            _file.SetLength(position); // A crash mid-append left a partial record: it was never acknowledged.
            _file.Flush(flushToDisk: true);
        }
    }
}
