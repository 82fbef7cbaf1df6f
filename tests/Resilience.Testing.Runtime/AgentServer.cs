using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Resilience.Testing.Runtime;

/// <summary>A small real HTTP server standing in for an agent: GET /health answers 200 or 503 as the test sets it.</summary>
public sealed class AgentServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private volatile bool _healthy = true;

    private AgentServer(string name, Uri url, WebApplication app)
    {
        Name = name;
        HealthUrl = new Uri(url, "/health");
        _app = app;
    }

    public string Name { get; }

    public Uri HealthUrl { get; }

    public bool Healthy
    {
        get => _healthy;
        set => _healthy = value;
    }

    public static async Task<AgentServer> StartAsync(string name, string address, int port)
    {
        var url = new Uri($"http://{address}:{port}");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url.ToString());
        builder.Logging.ClearProviders();
        var app = builder.Build();
        AgentServer? agent = null;
        app.MapGet("/health", () => agent!.Healthy ? Results.Text("ok\n") : Results.StatusCode(StatusCodes.Status503ServiceUnavailable));
        agent = new AgentServer(name, url, app);
        await app.StartAsync();
        return agent;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
