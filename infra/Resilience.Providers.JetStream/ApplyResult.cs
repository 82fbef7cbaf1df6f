using System.Text.Json.Nodes;

namespace Resilience.Providers.JetStream;

public enum ApplyChange
{
    Unchanged,
    Created,
    Updated,
    /// <summary>Deleted and made again, losing its messages or acknowledgements (only when the caller allowed it).</summary>
    Replaced,
}

/// <param name="Outputs">What identifies the object (never a secret).</param>
public sealed record ApplyResult(ApplyChange Change, JsonObject Outputs)
{
    public bool Changed => Change != ApplyChange.Unchanged;
}
