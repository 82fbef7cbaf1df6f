using Resilience.Engine.State;

namespace Resilience.Engine.Execution;

/// <summary>Serializes changes to the in-memory checkpoint and saves it (atomically) after each one.</summary>
public sealed class CheckpointRecorder(CheckpointStore store, Checkpoint checkpoint)
{
    private readonly Lock _gate = new();

    /// <summary>The record of a URN now.</summary>
    public StoredResource? Find(string urn)
    {
        lock (_gate)
        {
            return checkpoint.Find(urn);
        }
    }

    public void Record(Action<Checkpoint> change)
    {
        lock (_gate)
        {
            change(checkpoint);
            store.Save(checkpoint);
        }
    }
}
