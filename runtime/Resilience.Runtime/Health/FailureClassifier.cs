using System.Net.Sockets;

namespace Resilience.Runtime.Health;

/// <summary>Maps an HTTP client exception to a probe outcome: refused connections fail over at once.</summary>
public static class FailureClassifier
{
    public static ProbeOutcome Classify(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
            {
                return ProbeOutcome.Refused;
            }
        }
        return ProbeOutcome.Failed;
    }

    public static string Describe(Exception e) => e switch
    {
        TaskCanceledException or OperationCanceledException => "timeout",
        _ => e.GetBaseException().Message,
    };
}
