using System.Net;
using Resilience.DemoFleet.Contracts;
using Resilience.DemoFleet.Control;
using Resilience.DemoFleet.Security;

namespace Resilience.DemoFleet;

/// <summary>One Kestrel server for the whole fleet: the control port plus every agent's port, told apart by the local port.</summary>
public static class FleetHost
{
    /// <param name="configDirectory">The fleet config's folder: relative agent file paths start there.</param>
    /// <param name="logging">Replaces the default one-line console log (tests capture it).</param>
    /// <exception cref="FleetConfigException">The https section's certificate or key cannot be loaded.</exception>
    public static WebApplication Build(FleetConfig config, string configDirectory, Action<ILoggingBuilder>? logging = null)
    {
        var security = config.Https is { } https ? FleetSecurity.Load(https) : null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (logging is null)
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
            // Only the fleet's own state changes at information level: one line each.
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
            builder.Logging.AddFilter("System", LogLevel.Warning);
        }
        else
        {
            logging(builder.Logging);
        }
        var address = IPAddress.Parse(config.Address);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            void Listen(int port) => kestrel.Listen(address, port, listen =>
            {
                if (security is not null)
                {
                    listen.UseHttps(security.Certificate);
                }
            });
            Listen(config.ControlPort);
            foreach (var agent in config.Agents)
            {
                Listen(agent.Port);
            }
        });
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(2),
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        })
        { Timeout = Timeout.InfiniteTimeSpan });
        builder.Services.AddSingleton(s => new Fleet(config, configDirectory, s.GetRequiredService<HttpClient>(), s.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddHostedService(s => s.GetRequiredService<Fleet>());

        var app = builder.Build();
        var fleet = app.Services.GetRequiredService<Fleet>();
        // The server stops before the hosted services and waits for open requests: a hung agent must let go first.
        app.Lifetime.ApplicationStopping.Register(() =>
        {
            foreach (var agent in fleet.Agents)
            {
                agent.Stopping();
            }
        });
        app.Use(async (http, next) =>
        {
            var agent = fleet.OnPort(http.Connection.LocalPort);
            if (security is not null && !await security.AdmitAsync(http, agentPort: agent is not null))
            {
                return;
            }
            if (agent is not null)
            {
                await agent.HandleAsync(http);
                return;
            }
            await next(http);
        });
        ControlApi.Map(app, fleet);
        return app;
    }
}
