using System.Net;
using System.Net.Sockets;
using Resilience.Runtime.Security;

namespace Resilience.Runtime.Health;

/// <summary>The runtime's outgoing HTTP connections: probe-sized connect timeout, no proxy, optional source address.</summary>
public static class HttpHandlers
{
    /// <summary>
    /// The plain handler, and with <paramref name="security"/>: HTTPS trusts only the pair's CA, and HTTPS requests
    /// carry the runtime's credential (plain HTTP ones never do: it would travel in clear).
    /// </summary>
    public static HttpMessageHandler Create(TimeSpan connectTimeout, IPAddress? source, TimeSpan pooledLifetime, RuntimeSecurity? security)
    {
        var handler = Create(connectTimeout, source, pooledLifetime);
        if (security is null) return handler;
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            security.Trust.Validate(certificate as System.Security.Cryptography.X509Certificates.X509Certificate2, errors);
        return new CredentialHandler(security.ClientAuthorization) { InnerHandler = handler };
    }

    /// <param name="source">When set, every connection leaves from this local address (<c>sourceAddress</c>).</param>
    public static SocketsHttpHandler Create(TimeSpan connectTimeout, IPAddress? source, TimeSpan pooledLifetime)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = connectTimeout,
            PooledConnectionLifetime = pooledLifetime,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        if (source is not null)
        {
            handler.ConnectCallback = async (context, token) =>
            {
                var socket = new Socket(source.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, token);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }
        return handler;
    }
}

/// <summary>Adds the runtime's basic auth to HTTPS requests that carry none.</summary>
internal sealed class CredentialHandler(System.Net.Http.Headers.AuthenticationHeaderValue? authorization) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (authorization is not null && request.RequestUri?.Scheme == Uri.UriSchemeHttps && request.Headers.Authorization is null)
            request.Headers.Authorization = authorization;
        return base.SendAsync(request, cancellationToken);
    }
}
