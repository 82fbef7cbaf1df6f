using System.Net;
using System.Net.Sockets;

namespace Resilience.Runtime.Health;

/// <summary>The runtime's outgoing HTTP connections: probe-sized connect timeout, no proxy, optional source address.</summary>
public static class HttpHandlers
{
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
