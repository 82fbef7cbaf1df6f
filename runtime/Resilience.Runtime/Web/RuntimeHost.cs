using System.Net;
using Resilience.Runtime.Config;
using Resilience.Runtime.Health;
using Resilience.Runtime.Ingest;
using Resilience.Runtime.Publishing;

namespace Resilience.Runtime.Web;

/// <summary>Wires the service: health monitor, forwarder and buffer, NATS publisher, and the HTTP endpoints.</summary>
public static class RuntimeHost
{
    public static WebApplication Build(RuntimeConfig config, string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.WebHost.UseUrls(config.Listen.ToString());
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);

        var services = builder.Services;
        services.AddSingleton(config);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = config.Probe.Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        })
        { Timeout = Timeout.InfiniteTimeSpan });
        services.AddSingleton<HttpProber>();
        services.AddSingleton<HealthMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<HealthMonitor>());
        services.AddSingleton(_ => new FileBuffer(config.Buffer));
        services.AddSingleton<RemoteWriteClient>();
        services.AddSingleton<PushgatewayClient>();
        services.AddSingleton<IngestCounters>();
        services.AddSingleton<IngestClock>();
        services.AddSingleton<Forwarder>();
        services.AddHostedService<BufferReplayer>();
        services.AddSingleton<NatsLinkState>();
        services.AddSingleton<DecisionPublisher>();
        services.AddHostedService(sp => sp.GetRequiredService<DecisionPublisher>());
        services.AddSingleton<MetricsRenderer>();

        var app = builder.Build();
        // The publisher subscribes to switches in its constructor: create it before the monitor runs.
        app.Services.GetRequiredService<DecisionPublisher>();
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/metrics", (MetricsRenderer metrics) => Results.Text(metrics.Render(), "text/plain; version=0.0.4; charset=utf-8"));
        app.MapGet("/status", (HealthMonitor monitor, Forwarder forwarder, NatsLinkState nats) =>
            Results.Json(StatusReport.Create(config, monitor, forwarder, nats), JsonOptions.Web));
        app.MapMethods("/metrics/job/{**group}", ["POST", "PUT"], PushEndpoint.HandleAsync);
        return app;
    }
}
