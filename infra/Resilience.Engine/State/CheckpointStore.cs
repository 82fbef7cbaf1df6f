using Resilience.Platform;

namespace Resilience.Engine.State;

/// <summary>
/// Loads and atomically saves one stack's checkpoint. Every save keeps the checkpoint it replaces beside it
/// (<c>checkpoint.previous.json</c>), and each carries a hash of its own content, so a damaged file is found on
/// the next read and the operator has a good one, one step older, to restore.
/// </summary>
public sealed class CheckpointStore(string path, string stack)
{
    public string Path { get; } = path;

    /// <summary>The checkpoint the last save replaced.</summary>
    public string PreviousPath => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!, "checkpoint.previous.json");

    public Checkpoint Load() => File.Exists(Path) ? Read(Path, WayOut()) : new Checkpoint { Stack = stack };

    public void Save(Checkpoint checkpoint)
    {
        checkpoint.Updated = DateTimeOffset.UtcNow;
        KeepPrevious();
        AtomicFile.Write(Path, Seal(checkpoint));
    }

    /// <summary>A checkpoint from a file an operator gives (<c>stack import</c>): checked as strictly as our own.</summary>
    public Checkpoint ReadImport(string file) =>
        Read(file, $"Export it again with `./resilience stack export --stack {stack}`, or give another file");

    /// <summary>An independent deep copy (what a preview mutates without touching the saved one).</summary>
    public static Checkpoint Clone(Checkpoint checkpoint) =>
        StateJson.Deserialize<Checkpoint>(StateJson.Serialize(checkpoint), "checkpoint copy");

    private Checkpoint Read(string file, string wayOut)
    {
        var checkpoint = StateJson.Read<Checkpoint>(file, wayOut);
        if (checkpoint.Format != Checkpoint.CurrentFormat)
            throw new StateDamagedException(file, $"checkpoint format {checkpoint.Format} is not supported (expected {Checkpoint.CurrentFormat})", wayOut);
        if (checkpoint.Stack != stack)
            throw new StateDamagedException(file, $"the checkpoint belongs to stack '{checkpoint.Stack}', not '{stack}'", wayOut);
        if (checkpoint.Integrity is { } recorded && recorded != IntegrityOf(checkpoint))
            throw new StateDamagedException(file, "the content does not match its integrity hash (changed after it was written)", wayOut);
        return checkpoint;
    }

    private void KeepPrevious()
    {
        if (!File.Exists(Path)) return;
        try
        {
            Read(Path, "");
        }
        catch (StateDamagedException)
        {
            return; // never let a damaged checkpoint push out the last good one
        }
        AtomicFile.Write(PreviousPath, File.ReadAllBytes(Path));
    }

    private string WayOut()
    {
        var restore = $"`./resilience stack import --stack {stack} --file <export>`";
        if (!File.Exists(PreviousPath))
            return $"Restore a saved export with {restore}; nothing was changed";
        var written = File.GetLastWriteTimeUtc(PreviousPath).ToString("yyyy-MM-dd HH:mm:ss 'UTC'");
        return $"The previous checkpoint (one step older, written {written}) is kept at {PreviousPath}: restore it with " +
               $"`./resilience stack import --stack {stack} --file {PreviousPath}`, then `./resilience refresh --stack {stack} --yes` " +
               "to record what the last step changed; nothing was changed";
    }

    private static byte[] Seal(Checkpoint checkpoint)
    {
        checkpoint.Integrity = IntegrityOf(checkpoint);
        return StateJson.Serialize(checkpoint);
    }

    /// <summary>The hash of the checkpoint's content without its own integrity field.</summary>
    private static string IntegrityOf(Checkpoint checkpoint)
    {
        var kept = checkpoint.Integrity;
        checkpoint.Integrity = null;
        try
        {
            return ContentHash.Tagged(StateJson.Serialize(checkpoint));
        }
        finally
        {
            checkpoint.Integrity = kept;
        }
    }
}
