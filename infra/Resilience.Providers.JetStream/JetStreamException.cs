namespace Resilience.Providers.JetStream;

/// <summary>A NATS server could not be reached or refused a request; the message names the server and the object.</summary>
public sealed class JetStreamException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The server's JetStream error code (err_code), when the server answered with one.</summary>
    public int? ErrorCode { get; init; }

    /// <summary>The server took the request and gave no answer in time.</summary>
    public bool TimedOut { get; init; }
}
