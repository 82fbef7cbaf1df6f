using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Resilience.Providers.JetStream;

/// <summary>One connection to one server's JetStream API, with NATS failures turned into messages that name the server.</summary>
internal sealed class JetStreamSession : IAsyncDisposable
{
    public const int NotFoundCode = 404;

    private readonly NatsConnection _connection;

    private JetStreamSession(JetStreamTarget target, NatsConnection connection, INatsJSContext js)
    {
        Target = target;
        _connection = connection;
        Js = js;
    }

    public JetStreamTarget Target { get; }

    public INatsJSContext Js { get; }

    public static async Task<JetStreamSession> OpenAsync(JetStreamTarget target, TimeSpan timeout, CancellationToken ct)
    {
        var options = target.ConnectionOptions(timeout);
        var connection = new NatsConnection(options);
        try
        {
            await connection.ConnectAsync().AsTask().WaitAsync(ct);
        }
        catch (NatsException e)
        {
            await connection.DisposeAsync();
            var reason = e.InnerException is NatsServerException server ? server.Message : e.Message;
            throw new JetStreamException($"cannot connect to NATS server {target.Server}: {reason}", e);
        }
        var js = new NatsJSContext(connection, new NatsJSOpts(options, domain: target.Domain));
        return new JetStreamSession(target, connection, js);
    }

    /// <summary>Runs one JetStream API call that reads an object: null when the server answers that it is not there.</summary>
    public async Task<T?> FindAsync<T>(string what, Func<INatsJSContext, ValueTask<T>> call) where T : class
    {
        try
        {
            return await CallAsync(what, call);
        }
        catch (JetStreamException e) when (e.InnerException is NatsJSApiException { Error.Code: NotFoundCode })
        {
            return null;
        }
    }

    /// <summary>Runs one JetStream API call, turning every NATS failure into a message that names the server.</summary>
    public async Task<T> CallAsync<T>(string what, Func<INatsJSContext, ValueTask<T>> call)
    {
        try
        {
            return await call(Js);
        }
        catch (NatsJSApiException e)
        {
            throw new JetStreamException($"NATS server {Target} refused to {what}: {e.Error.Description} (err_code {e.Error.ErrCode})", e)
            {
                ErrorCode = e.Error.ErrCode,
            };
        }
        catch (NatsNoRespondersException e)
        {
            throw new JetStreamException($"no JetStream API answered at {Target} to {what}: is JetStream enabled there, and is the domain right?", e);
        }
        catch (NatsException e) when (e is NatsJSApiNoResponseException or NatsNoReplyException or NatsTimeoutException or NatsJSTimeoutException)
        {
            throw new JetStreamException($"NATS server {Target} did not answer in time to {what}", e) { TimedOut = true };
        }
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
