namespace Resilience.Runtime.Publishing;

/// <summary>Whether the runtime's own NATS connection is open, for /metrics and /status.</summary>
public sealed class NatsLinkState
{
    private volatile bool _up;

    public bool Up
    {
        get => _up;
        set => _up = value;
    }
}
