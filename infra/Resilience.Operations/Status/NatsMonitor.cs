using System.Text.Json;

namespace Resilience.Operations.Status;

/// <summary>Asks a nats-server's monitor endpoint; a server that does not answer is a status, not an exception.</summary>
public sealed class NatsMonitor(TimeSpan timeout) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = timeout };

    public Task<LeafStatus> LeafAsync(string monitorUrl, CancellationToken ct) =>
        AskAsync(monitorUrl, LeafzAnswer.Path, LeafzAnswer.Parse, LeafStatus.Unreachable, ct);

    public Task<ClusterStatus> ClusterAsync(string monitorUrl, CancellationToken ct) =>
        AskAsync(monitorUrl, JszAnswer.Path, JszAnswer.Parse, ClusterStatus.Unreachable, ct);

    private async Task<T> AskAsync<T>(string monitorUrl, string path, Func<string, T> parse, Func<string, T> unreachable, CancellationToken ct)
    {
        try
        {
            return parse(await _http.GetStringAsync(monitorUrl + path, ct));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException && !ct.IsCancellationRequested)
        {
            return unreachable($"monitor {monitorUrl} unreachable: {e.Message}");
        }
    }

    public void Dispose() => _http.Dispose();
}
