using Resilience.Engine.State;

namespace Resilience.Engine.Execution;

/// <summary>Serializes changes to the in-memory checkpoint and saves it (atomically) after each one.</summary>
public sealed class CheckpointRecorder(CheckpointStore store, Checkpoint checkpoint)
{
    private readonly Lock _gate = new();

    public void Record(Action<Checkpoint> change)
    {
        lock (_gate)
        {
            change(checkpoint);
            store.Save(checkpoint);
        }
    }
}
