namespace Resilience.Runtime.Security;

/// <summary>
/// Who may call what (runtime/README.md, "HTTPS and basic auth"): the ingest takes samples from pushers only (agents);
/// everything else reads state, for the operator (CLI gates, status, curl) and the hubs (they scrape /metrics).
/// </summary>
public static class EndpointRoles
{
    private static readonly HttpRole[] Ingest = [HttpRole.Pusher];
    private static readonly HttpRole[] Read = [HttpRole.Operator, HttpRole.Hub];

    public static IReadOnlyList<HttpRole> For(string method, string path) =>
        path.StartsWith("/metrics/", StringComparison.Ordinal) && method is "POST" or "PUT" ? Ingest : Read;
}
