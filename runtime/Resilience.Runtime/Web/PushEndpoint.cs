namespace Resilience.Runtime.Web;

/// <summary>The Pushgateway API: <c>POST|PUT /metrics/job/&lt;job&gt;{/&lt;label&gt;/&lt;value&gt;}</c>.</summary>
public static class PushEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext http, RuntimeConfig config, Forwarder forwarder, IngestClock clock, IngestCounters counters)
    {
        var groupPath = GroupPath(http);
        string body;
        using (var reader = new StreamReader(http.Request.Body))
        {
            body = await reader.ReadToEndAsync(http.RequestAborted);
        }
        PushBatch batch;
        try
        {
            batch = PushBatch.Create(http.Request.Method, groupPath, body, clock.Next(), config.Machine);
        }
        catch (FormatException e)
        {
            counters.Push("invalid");
            return Results.Text(e.Message + "\n", statusCode: StatusCodes.Status400BadRequest);
        }
        // The client's disconnect must not abandon a push half-way through forwarding.
        var result = await forwarder.IngestAsync(batch, CancellationToken.None);
        counters.Push(result.Outcome.ToString().ToLowerInvariant());
        return result.Outcome switch
        {
            IngestOutcome.Forwarded or IngestOutcome.Buffered => Results.Ok(),
            IngestOutcome.Rejected => Results.Text($"{result.Tier}: {result.Error}\n", statusCode: StatusCodes.Status400BadRequest),
            _ => Results.Text($"{result.Error}\n", statusCode: StatusCodes.Status503ServiceUnavailable),
        };
    }

    /// <summary>
    /// The grouping path as the client sent it, still percent-encoded: the route value is decoded already (all but
    /// %2F), and decoding it again in <see cref="PushGroup"/> would turn %2541 into 'A'. Kept encoded, it is also what a
    /// Pushgateway tier is sent, so a value holding '#' or '?' reaches it intact.
    /// </summary>
    private static string GroupPath(HttpContext http)
    {
        var raw = http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? http.Request.Path.Value ?? "";
        var path = raw.Split('?', 2)[0];
        const string prefix = "/metrics/";
        var at = path.IndexOf(prefix, StringComparison.Ordinal);
        return at < 0 ? "job/" + (http.Request.RouteValues["group"] as string ?? "") : path[(at + prefix.Length)..];
    }
}
