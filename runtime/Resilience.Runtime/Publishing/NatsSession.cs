using NATS.Client.Core;
using NATS.Net;
using Resilience.Runtime.Config;

namespace Resilience.Runtime.Publishing;

/// <summary>
/// The runtime's one NATS connection, shared by the decision publisher, the health sync and the partition
/// detector. Credentials go in <see cref="NatsAuthOpts"/>, never in the URL, so no log line or exception
/// message that quotes the server URL can carry the password. Null when the config has no nats section.
/// </summary>
public sealed class NatsSession : IAsyncDisposable
{
    private readonly NatsLinkState _state;

    /// <param name="logs">NATS.Net logs its reconnects and server errors through these, into the runtime's own log.</param>
    public NatsSession(RuntimeConfig config, NatsLinkState state, ILoggerFactory logs)
    {
        _state = state;
        if (config.Nats is not { } nats)
        {
            return;
        }
        Client = new NatsClient(Options(nats, $"resilience-runtime-{config.Machine}") with { LoggerFactory = logs });
        Client.Connection.ConnectionOpened += (_, _) => { _state.Up = true; return ValueTask.CompletedTask; };
        Client.Connection.ConnectionDisconnected += (_, _) => { _state.Up = false; return ValueTask.CompletedTask; };
    }

    public NatsClient? Client { get; }

    public bool IsOpen => Client?.Connection.ConnectionState == NatsConnectionState.Open;

    public static NatsOpts Options(NatsConfig nats, string name) => new()
    {
        Url = nats.Url.ToString(),
        Name = name,
        AuthOpts = nats.Credentials is { } c ? new NatsAuthOpts { Username = c.User, Password = c.Password } : NatsAuthOpts.Default,
        TlsOpts = nats.CaFile is { } ca ? new NatsTlsOpts { Mode = TlsMode.Require, CaFile = ca } : NatsTlsOpts.Default,
        MaxReconnectRetry = -1,
        ReconnectWaitMin = TimeSpan.FromMilliseconds(250),
        ReconnectWaitMax = TimeSpan.FromSeconds(2),
    };

    public async ValueTask DisposeAsync()
    {
        _state.Up = false;
        if (Client is not null)
        {
            await Client.DisposeAsync();
        }
    }
}
