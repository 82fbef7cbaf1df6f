using Resilience.IntegrationTests.Topology;

namespace Resilience.IntegrationTests.Security;

/// <summary>
/// An agent publishing sequence-numbered messages (payload and Nats-Msg-Id <c>PREFIX-n</c>) with JetStream acks every
/// <see cref="Period"/>, over TLS as the role whose credential its stack file holds at that moment: when the file's
/// credential changes the agent reconnects with the new one, as an agent restarted with its new file does. A publish
/// that fails (no ack, refused, server restarting) is retried with the same Msg-Id until acked, as a real publisher
/// does (the stream's duplicate window drops a second copy); a message still not acked after
/// <see cref="GiveUpAfter"/> is lost.
/// </summary>
public sealed class SequencedNatsLoad(string url, string subject, string prefix, string role, StackFileSecurity security) : IAsyncDisposable
{
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(90);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private NatsConnection? _connection;
    private NatsJSContext? _js;
    private string? _connectedAs;

    /// <summary>Acked messages: Msg-Id → its sequence in the origin stream.</summary>
    public Dictionary<string, ulong> Acked { get; } = [];

    /// <summary>Msg-Ids given up on after <see cref="GiveUpAfter"/> of retries.</summary>
    public List<string> Lost { get; } = [];

    /// <summary>Every failed attempt (each was retried), with the seconds since the load started.</summary>
    public List<FailedAttempt> FailedAttempts { get; } = [];

    /// <summary>Retries the stream answered "duplicate": an earlier attempt was stored but its ack never came.</summary>
    public int DuplicateAcks { get; private set; }

    /// <summary>The users the agent connected as, in order.</summary>
    public List<string> ConnectedAs { get; } = [];

    public int Published { get; private set; }

    public async Task RunAsync(CancellationToken stop)
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var id = $"{prefix}-{n}";
            Published++;
            var since = Stopwatch.StartNew();
            bool acked;
            while (!(acked = await PublishAsync(id)) && since.Elapsed < GiveUpAfter) await Task.Delay(Period, CancellationToken.None);
            if (!acked) Lost.Add(id);
            try
            {
                await Task.Delay(Period, stop);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private async Task<bool> PublishAsync(string id)
    {
        try
        {
            var js = await ContextAsync();
            var ack = await js.PublishAsync(subject, Encoding.UTF8.GetBytes(id), opts: new NatsJSPubOpts { MsgId = id });
            ack.EnsureSuccess();
            if (ack.Duplicate) DuplicateAcks++;
            Acked[id] = ack.Seq;
            return true;
        }
        catch (Exception e) when (e is NatsException or OperationCanceledException or TimeoutException)
        {
            FailedAttempts.Add(new FailedAttempt(_clock.Elapsed, id, $"as {_connectedAs}: {e.GetType().Name}: {e.Message}"));
            // A connection that is not open (refused at connect, or its user retired) is made anew, with the file's credential.
            if (_connection?.ConnectionState != NatsConnectionState.Open) _js = null;
            return false;
        }
    }

    private async Task<NatsJSContext> ContextAsync()
    {
        var current = security.Current;
        var user = current.User(role);
        if (_js is not null && _connectedAs == user.User) return _js;
        if (_connection is not null) await _connection.DisposeAsync();
        _connection = new NatsConnection(new NatsOpts
        {
            Url = url,
            RequestTimeout = TimeSpan.FromSeconds(3),
            ConnectTimeout = TimeSpan.FromSeconds(3),
            AuthOpts = new NatsAuthOpts { Username = user.User, Password = user.Password },
            TlsOpts = PairTls.Trusting(current.CaCertificatesPem),
        });
        _js = new NatsJSContext(_connection);
        _connectedAs = user.User;
        ConnectedAs.Add(user.User);
        return _js;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
    }
}
