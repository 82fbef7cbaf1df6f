using Resilience.Platform;

namespace Resilience.Engine.State;

/// <summary>Loads and atomically saves one stack's checkpoint.</summary>
public sealed class CheckpointStore(string path, string stack)
{
    public string Path { get; } = path;

    public Checkpoint Load()
    {
        if (!File.Exists(Path)) return new Checkpoint { Stack = stack };
        var checkpoint = StateJson.Deserialize<Checkpoint>(File.ReadAllBytes(Path), Path);
        if (checkpoint.Format != Checkpoint.CurrentFormat)
        {
            throw new InvalidDataException($"{Path}: checkpoint format {checkpoint.Format} is not supported (expected {Checkpoint.CurrentFormat})");
        }
        if (checkpoint.Stack != stack)
        {
            throw new InvalidDataException($"{Path}: checkpoint belongs to stack '{checkpoint.Stack}', not '{stack}'");
        }
        return checkpoint;
    }

    public void Save(Checkpoint checkpoint)
    {
        checkpoint.Updated = DateTimeOffset.UtcNow;
        AtomicFile.Write(Path, StateJson.Serialize(checkpoint));
    }

    /// <summary>An independent deep copy (what a preview mutates without touching the saved one).</summary>
    public static Checkpoint Clone(Checkpoint checkpoint) =>
        StateJson.Deserialize<Checkpoint>(StateJson.Serialize(checkpoint), "checkpoint copy");
}
