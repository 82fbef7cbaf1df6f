using System.Diagnostics;

namespace Resilience.Runtime.Health;

/// <summary>GETs a readiness URL (hubs and Pushgateway both serve <c>/-/ready</c>) and classifies the answer.</summary>
public sealed class HttpProber(HttpClient http, TimeProvider clock)
{
    public async Task<ProbeResult> ProbeAsync(Uri url, TimeSpan timeout, CancellationToken stop)
    {
        var at = clock.GetUtcNow();
        var watch = Stopwatch.StartNew();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stop);
        cts.CancelAfter(timeout);
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cts.Token);
            return response.IsSuccessStatusCode
                ? new ProbeResult(ProbeOutcome.Healthy, watch.Elapsed, at, null)
                : new ProbeResult(ProbeOutcome.Failed, watch.Elapsed, at, $"HTTP {(int)response.StatusCode}");
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !stop.IsCancellationRequested)
        {
            return new ProbeResult(FailureClassifier.Classify(e), watch.Elapsed, at, FailureClassifier.Describe(e));
        }
    }

    /// <param name="baseUrl">Ends in '/' (the config loader sees to it), so a base path is kept.</param>
    public static Uri ReadyUrl(Uri baseUrl) => new(baseUrl, "-/ready");
}
