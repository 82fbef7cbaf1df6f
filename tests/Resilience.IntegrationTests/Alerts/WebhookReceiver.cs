using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Resilience.IntegrationTests.Alerts;

/// <summary>One notification as Alertmanager's webhook posted it: the route's receiver, firing or resolved, the alerts' labels.</summary>
public sealed record Notification(DateTimeOffset At, string Receiver, string Status, IReadOnlyList<IReadOnlyDictionary<string, string>> Alerts)
{
    public bool Has(string alertname, string? label = null, string? value = null) =>
        Alerts.Any(a => a.GetValueOrDefault("alertname") == alertname && (label is null || a.GetValueOrDefault(label) == value));

    public override string ToString() =>
        $"{At:HH:mm:ss.fff} {Receiver} {Status}: {string.Join("; ", Alerts.Select(a => string.Join(",", a.Select(p => $"{p.Key}={p.Value}"))))}";
}

/// <summary>A real HTTP receiver on 127.0.0.1 for Alertmanager's webhook: records every notification it is sent.</summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<Notification> _received = new();
    private readonly Task _serving;

    public WebhookReceiver()
    {
        var port = FreePort();
        // The path carries a token: the URL is a secret the test then looks for everywhere it must not be.
        Url = $"http://127.0.0.1:{port}/hook/{Guid.NewGuid():N}";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public IReadOnlyList<Notification> Received => [.. _received];

    public IReadOnlyList<Notification> Since(DateTimeOffset at, Func<Notification, bool> which) =>
        [.. _received.Where(n => n.At >= at && which(n))];

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
            var ours = context.Request.Url!.AbsolutePath == new Uri(Url).AbsolutePath;
            if (ours)
            {
                using var reader = new StreamReader(context.Request.InputStream);
                var body = JsonNode.Parse(await reader.ReadToEndAsync())!;
                _received.Enqueue(new Notification(DateTimeOffset.UtcNow, (string)body["receiver"]!, (string)body["status"]!,
                    [.. body["alerts"]!.AsArray().Select(a => (IReadOnlyDictionary<string, string>)a!["labels"]!.AsObject()
                        .ToDictionary(p => p.Key, p => (string)p.Value!))]));
            }
            context.Response.StatusCode = ours ? 200 : 404;
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try { _serving.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }
}
