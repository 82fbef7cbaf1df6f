using System.Net.Http.Headers;
using Resilience.Security.Certificates;
using Resilience.Security.Passwords;
using Resilience.Stack.Config;

namespace Resilience.Operations.Gates;

/// <summary>
/// The operator's HTTP client for the stacks' listeners: with security material, HTTPS trusts only the pair's CA(s)
/// and every HTTPS request carries the operator's basic auth (a plain HTTP request never does: it would travel in
/// clear). Without it, an ordinary handler.
/// </summary>
public static class OperatorHttp
{
    public static HttpMessageHandler Handler(SecuritySettings? security)
    {
        if (security is null) return new SocketsHttpHandler();
        var roots = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
        roots.ImportFromPem(security.CaCertificatesPem);
        var trust = new CaTrust([.. roots]);
        var user = security.User(SecurityRoles.Operator);
        var header = AuthenticationHeaderValue.Parse(new Credential(user.User, user.Password).BasicAuthorization());
        return new OperatorCredential(header) { InnerHandler = trust.Handler() };
    }

    private sealed class OperatorCredential(AuthenticationHeaderValue authorization) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri?.Scheme == Uri.UriSchemeHttps) request.Headers.Authorization ??= authorization;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
