using System.Net.Http.Headers;
using System.Security.Authentication;
using Resilience.Operations.Gates;
using Resilience.Security.Certificates;
using Resilience.Security.Passwords;
using Resilience.Stack.Config;

namespace Resilience.IntegrationTests.Runtime;

/// <summary>
/// The HTTPS clients the runtime tests call the secured pair with, each trusting only the pair's CA: the operator (the
/// CLI's own client: /status and the hubs' query API), the pusher (the runtime's ingest, as an agent), and an anonymous
/// one for the refusals.
/// </summary>
public sealed class RuntimeClients : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public RuntimeClients(SecuritySettings security)
    {
        Operator = new HttpClient(OperatorHttp.Handler(security)) { Timeout = Timeout };
        var trust = CaTrust.FromPem(security.CaCertificatesPem);
        var pusher = security.User(SecurityRoles.Pusher);
        Pusher = new HttpClient(trust.Handler()) { Timeout = Timeout };
        Pusher.DefaultRequestHeaders.Authorization = AuthenticationHeaderValue.Parse(new Credential(pusher.User, pusher.Password).BasicAuthorization());
        Anonymous = new HttpClient(trust.Handler()) { Timeout = Timeout };
    }

    public HttpClient Operator { get; }
    public HttpClient Pusher { get; }
    public HttpClient Anonymous { get; }

    /// <summary>
    /// What a listener answers <paramref name="client"/>: the HTTP status, or "TLS: …" / "error: …" when it gave no
    /// HTTP answer (a plain request to a TLS-only port).
    /// </summary>
    public static async Task<string> AnswerAsync(HttpClient client, HttpMethod method, Uri url, string? body = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "text/plain");
        try
        {
            using var response = await client.SendAsync(request);
            return ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (HttpRequestException e) when (e.InnerException is AuthenticationException)
        {
            return $"TLS: {e.InnerException.Message}";
        }
        catch (HttpRequestException e)
        {
            return $"error: {e.Message}" + (e.InnerException is { } inner ? $" <- {inner.Message}" : "");
        }
    }

    /// <summary>The same URL over plain HTTP.</summary>
    public static Uri Plain(Uri url) => new UriBuilder(url) { Scheme = Uri.UriSchemeHttp, Port = url.Port }.Uri;

    public void Dispose()
    {
        Operator.Dispose();
        Pusher.Dispose();
        Anonymous.Dispose();
    }
}
