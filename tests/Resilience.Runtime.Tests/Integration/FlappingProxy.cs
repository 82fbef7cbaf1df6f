using System.Net.Sockets;

namespace Resilience.Runtime.Tests.Integration;

/// <summary>
/// A TCP front for a real hub that the test opens and closes: closed, nothing listens (connections are refused)
/// and every proxied connection is reset; open, connections pass through to the hub.
/// </summary>
public sealed class FlappingProxy(string address, int port, IPEndPoint upstream) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<TcpClient> _connections = [];
    private TcpListener? _listener;

    public bool IsOpen
    {
        get { lock (_gate) { return _listener is not null; } }
    }

    public void Open()
    {
        lock (_gate)
        {
            if (_listener is not null)
            {
                return;
            }
            var listener = new TcpListener(IPAddress.Parse(address), port);
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Start();
            _listener = listener;
            _ = AcceptAsync(listener);
        }
    }

    public void Close()
    {
        lock (_gate)
        {
            _listener?.Stop();
            _listener = null;
            foreach (var c in _connections)
            {
                try
                {
                    c.Client.LingerState = new LingerOption(true, 0); // RST, like a dying process
                }
                catch (ObjectDisposedException)
                {
                }
                c.Dispose();
            }
            _connections.Clear();
        }
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = PipeAsync(client);
        }
    }

    private async Task PipeAsync(TcpClient client)
    {
        var server = new TcpClient();
        lock (_gate)
        {
            _connections.Add(client);
            _connections.Add(server);
        }
        try
        {
            await server.ConnectAsync(upstream);
            using var a = client.GetStream();
            using var b = server.GetStream();
            await Task.WhenAny(a.CopyToAsync(b), b.CopyToAsync(a));
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
        }
        finally
        {
            lock (_gate)
            {
                _connections.Remove(client);
                _connections.Remove(server);
            }
            client.Dispose();
            server.Dispose();
        }
    }

    public void Dispose() => Close();
}
