using Resilience.Runtime.Health;

namespace Resilience.Runtime.Ingest;

public enum ForwardStatus
{
    Accepted,
    /// <summary>The tier answered 400 or 422: the data is at fault, sending it elsewhere would not help.</summary>
    Rejected,
    /// <summary>The tier could not take it (connection, timeout, 5xx, any other 4xx): try another tier or buffer it.</summary>
    Unavailable,
}

public sealed record ForwardResult(ForwardStatus Status, ProbeOutcome Outcome, string? Error, TimeSpan Took)
{
    public static async Task<ForwardResult> SendAsync(Func<CancellationToken, Task<HttpResponseMessage>> send, TimeSpan timeout, CancellationToken stop)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stop);
        cts.CancelAfter(timeout);
        try
        {
            using var response = await send(cts.Token);
            var code = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return new(ForwardStatus.Accepted, ProbeOutcome.Healthy, null, watch.Elapsed);
            }
            var body = await response.Content.ReadAsStringAsync(cts.Token);
            var error = $"HTTP {code}: {body.Trim()}";
            // Only these blame the data. A 404 (a hub without the remote-write receiver, a wrong path), 401/403 (a
            // proxy), 413 or 429 say the tier cannot take it now: dropping the data as "rejected" would lose it, and the
            // hub's /-/ready stays green, so these must count as failed forwards to move traffic elsewhere.
            return code is 400 or 422
                ? new(ForwardStatus.Rejected, ProbeOutcome.Healthy, error, watch.Elapsed)
                : new(ForwardStatus.Unavailable, ProbeOutcome.Failed, error, watch.Elapsed);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !stop.IsCancellationRequested)
        {
            return new(ForwardStatus.Unavailable, FailureClassifier.Classify(e), FailureClassifier.Describe(e), watch.Elapsed);
        }
    }
}
