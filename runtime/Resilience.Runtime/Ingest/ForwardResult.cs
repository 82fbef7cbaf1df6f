using Resilience.Runtime.Health;

namespace Resilience.Runtime.Ingest;

public enum ForwardStatus
{
    Accepted,
    /// <summary>The tier answered 4xx: the data is at fault, sending it elsewhere would not help.</summary>
    Rejected,
    /// <summary>The tier could not take it (connection, timeout, 5xx): try another tier or buffer it.</summary>
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
            // 429 is back-pressure, not bad data.
            return code is >= 400 and < 500 and not 429
                ? new(ForwardStatus.Rejected, ProbeOutcome.Healthy, error, watch.Elapsed)
                : new(ForwardStatus.Unavailable, ProbeOutcome.Failed, error, watch.Elapsed);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !stop.IsCancellationRequested)
        {
            return new(ForwardStatus.Unavailable, FailureClassifier.Classify(e), FailureClassifier.Describe(e), watch.Elapsed);
        }
    }
}
