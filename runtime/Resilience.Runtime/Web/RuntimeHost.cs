namespace Resilience.Runtime.Web;

/// <summary>Wires the service: health monitor, forwarder and buffer, NATS publisher, and the HTTP endpoints.</summary>
public static class RuntimeHost
{
    /// <param name="configure">For hosts that add to the builder (tests capture the log through it).</param>
    /// <param name="security">The loaded <c>https</c> section (Program loads it before giving root up); null: loaded here
    /// from the files the config names, if it has the section.</param>
    public static WebApplication Build(RuntimeConfig config, string[] args, Action<WebApplicationBuilder>? configure = null,
        RuntimeSecurity? security = null)
    {
        security ??= config.Https is { } https ? RuntimeSecurity.Load(https, "the runtime config") : null;
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.WebHost.UseUrls(config.Listen.ToString());
        if (security is not null)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
            {
                https.ServerCertificate = security.ServerCertificate;
                https.SslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13;
            }));
        }
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
        // NATS.Net's warnings and errors (an authorization violation, a lost connection); its info dumps every connect.
        builder.Logging.AddFilter("NATS", LogLevel.Warning);

        var services = builder.Services;
        services.AddSingleton(config);
        services.AddSingleton(TimeProvider.System);
        if (security is not null) services.AddSingleton(security);
        services.AddSingleton(_ => new HttpClient(HttpHandlers.Create(config.Probe.Timeout, config.SourceAddress, TimeSpan.FromMinutes(1), security))
        {
            Timeout = Timeout.InfiniteTimeSpan,
        });
        services.AddSingleton<HttpProber>();
        services.AddSingleton<HealthMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<HealthMonitor>());
        services.AddSingleton(_ => new FileBuffer(config.Buffer));
        services.AddSingleton<RemoteWriteClient>();
        services.AddSingleton<ResendSender>();
        services.AddSingleton<PushgatewayClient>();
        services.AddSingleton<IngestCounters>();
        services.AddSingleton<IngestClock>();
        services.AddSingleton<Forwarder>();
        services.AddHostedService<BufferReplayer>();
        services.AddSingleton<NatsLinkState>();
        services.AddSingleton<NatsSession>();
        services.AddSingleton<NatsOutbox>();
        services.AddHostedService<NatsOutboxPublisher>();
        services.AddSingleton<DecisionPublisher>();
        services.AddHostedService(sp => sp.GetRequiredService<DecisionPublisher>());
        services.AddSingleton<HealthView>();
        services.AddSingleton<AgentHealthProber>();
        services.AddHostedService(sp => sp.GetRequiredService<AgentHealthProber>());
        services.AddSingleton<PartitionDetector>();
        services.AddHostedService(sp => sp.GetRequiredService<PartitionDetector>());
        services.AddSingleton<PeerHealthConsumer>();
        services.AddHostedService(sp => sp.GetRequiredService<PeerHealthConsumer>());
        services.AddSingleton<StreamSourceMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<StreamSourceMonitor>());
        services.AddSingleton<MetricsRenderer>();

        configure?.Invoke(builder);
        var app = builder.Build();
        // The publisher subscribes to switches in its constructor: create it before the monitor runs.
        app.Services.GetRequiredService<DecisionPublisher>();
        if (security is not null) app.UseBasicAuth(security);
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/metrics", (MetricsRenderer metrics) => Results.Text(metrics.Render(), "text/plain; version=0.0.4; charset=utf-8"));
        app.MapGet("/status", (HealthMonitor monitor, Forwarder forwarder, NatsLinkState nats, PartitionDetector partition,
                PeerHealthConsumer consumer, AgentHealthProber prober, NatsOutbox outbox, IngestCounters counters) =>
            Results.Json(StatusReport.Create(config, monitor, forwarder, nats, partition, consumer, prober, outbox, counters), JsonOptions.Web));
        app.MapGet("/health", (HealthView view, PartitionDetector partition) =>
            Results.Json(HealthReport.Create(config, view, partition.Tracker), JsonOptions.Web));
        app.MapMethods("/metrics/job/{**group}", ["POST", "PUT"], PushEndpoint.HandleAsync);
        return app;
    }
}
