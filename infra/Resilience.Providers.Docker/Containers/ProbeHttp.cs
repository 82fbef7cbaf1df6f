using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Resilience.Security.Certificates;
using Resilience.Security.Passwords;

namespace Resilience.Providers.Docker.Containers;

/// <summary>
/// The tool's own calls to a container's ready and reload URLs. Without <see cref="HttpProbeAuth"/> they go through the
/// shared client as before; with it, through a client that trusts only the CA in its file (never the system store) and
/// with the user's basic auth. One client per CA file content, kept for the provider's life (connections are reused).
/// </summary>
internal sealed class ProbeHttp(HttpClient plain) : IDisposable
{
    private readonly ConcurrentDictionary<string, HttpClient> _byCa = new(StringComparer.Ordinal);

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, HttpProbeAuth? auth, CancellationToken ct)
    {
        var request = new HttpRequestMessage(method, url);
        if (auth is null) return plain.SendAsync(request, ct);
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(new Credential(auth.User, auth.Password.Value).BasicAuthorization());
        return ClientFor(auth.CaFile).SendAsync(request, ct);
    }

    private HttpClient ClientFor(string caFile)
    {
        string pem;
        try
        {
            pem = File.ReadAllText(caFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HttpRequestException($"cannot read the CA file {caFile}: {e.Message}", e);
        }
        return _byCa.GetOrAdd(pem, text =>
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPem(text);
            if (roots.Count == 0) throw new HttpRequestException($"the CA file {caFile} holds no certificate");
            return new HttpClient(new CaTrust([.. roots]).Handler());
        });
    }

    public void Dispose()
    {
        foreach (var client in _byCa.Values) client.Dispose();
    }
}
