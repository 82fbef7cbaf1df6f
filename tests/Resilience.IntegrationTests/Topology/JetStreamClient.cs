using NATS.Client.JetStream.Models;

namespace Resilience.IntegrationTests.Topology;

/// <summary>A message read back from a stream: its payload, MsgId and, when sourced, the origin's sequence.</summary>
public sealed record StoredMessage(string Subject, string Payload, string? MsgId, ulong? SourceSequence);

/// <summary>One machine's NATS as a test client sees it: publish with MsgIds, read a whole stream back.</summary>
public sealed class JetStreamClient : IAsyncDisposable
{
    private readonly NatsConnection _connection;
    private readonly NatsJSContext _js;

    /// <param name="caPem">Set: TLS required, the server's certificate must chain to these CA certificates.</param>
    public JetStreamClient(string url, string? user = null, string? password = null, string? caPem = null)
    {
        _connection = new NatsConnection(new NatsOpts
        {
            Url = url,
            RequestTimeout = TimeSpan.FromSeconds(3),
            AuthOpts = password is null ? NatsAuthOpts.Default : new NatsAuthOpts { Username = user, Password = password },
            TlsOpts = caPem is null ? NatsTlsOpts.Default : PairTls.Trusting(caPem),
        });
        _js = new NatsJSContext(_connection);
    }

    /// <summary>Waits until the connection answers a ping: after a server restart the client reconnects on its own.</summary>
    public async Task ReadyAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await _connection.PingAsync(attempt.Token);
                return;
            }
            catch (Exception e) when (e is NatsException or OperationCanceledException && clock.Elapsed < timeout)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Publishes PREFIX-0 .. PREFIX-(n-1) one at a time (payload = MsgId); returns MsgId → stream sequence.</summary>
    public async Task<Dictionary<string, ulong>> PublishAsync(string subject, string prefix, int count, int start = 0)
    {
        var acks = new Dictionary<string, ulong>();
        for (var i = start; i < start + count; i++)
        {
            var id = $"{prefix}-{i}";
            var ack = await _js.PublishAsync(subject, Encoding.UTF8.GetBytes(id), opts: new NatsJSPubOpts { MsgId = id });
            ack.EnsureSuccess();
            if (ack.Duplicate) throw new InvalidOperationException($"{id} was reported as a duplicate");
            acks[id] = ack.Seq;
        }
        return acks;
    }

    /// <summary>
    /// Publishes continuously until <paramref name="stop"/> is cancelled, a message every <paramref name="pause"/>;
    /// every publish is awaited and counted as acked or failed (none may fail).
    /// </summary>
    public async Task<ContinuousPublish> PublishUntilAsync(string subject, string prefix, TimeSpan pause, CancellationToken stop)
    {
        var result = new ContinuousPublish();
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var id = $"{prefix}-{i}";
            try
            {
                var ack = await _js.PublishAsync(subject, Encoding.UTF8.GetBytes(id), opts: new NatsJSPubOpts { MsgId = id });
                ack.EnsureSuccess();
                result.Acked[id] = ack.Seq;
            }
            catch (NatsException e)
            {
                result.Failures.Add($"{id}: {e.Message}");
            }
            await Task.Delay(pause, CancellationToken.None);
        }
        return result;
    }

    public async Task<long> CountAsync(string stream, string subject)
    {
        var info = await _js.GetStreamAsync(stream, new StreamInfoRequest { SubjectsFilter = subject });
        return info.Info.State.Subjects is { } counts && counts.TryGetValue(subject, out var n) ? n : 0;
    }

    public async Task<StreamInfo> InfoAsync(string stream) => (await _js.GetStreamAsync(stream)).Info;

    /// <summary>Waits until the stream holds <paramref name="expected"/> messages on the subject; returns how long that took.</summary>
    public async Task<TimeSpan> WaitForCountAsync(string stream, string subject, long expected, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        long seen = 0;
        while (clock.Elapsed < timeout)
        {
            try
            {
                seen = await CountAsync(stream, subject);
                if (seen >= expected) return clock.Elapsed;
            }
            catch (NatsException) { } // the server may still be coming back
            await Task.Delay(50);
        }
        throw new TimeoutException($"{stream}/{subject}: {seen} of {expected} messages after {timeout.TotalSeconds}s");
    }

    /// <summary>Every message of the stream on the subject, read with an ordered consumer from the first sequence.</summary>
    public async Task<List<StoredMessage>> ReadAsync(string stream, string subject)
    {
        var last = (await InfoAsync(stream)).State.LastSeq;
        var messages = new List<StoredMessage>();
        if (last == 0) return messages;
        // Server 2.9 drops the plural filter_subjects an ordered consumer sends, so filter here.
        var consumer = await _js.CreateOrderedConsumerAsync(stream);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var msg in consumer.ConsumeAsync<byte[]>(cancellationToken: timeout.Token))
        {
            if (msg.Subject == subject) messages.Add(ToStored(msg));
            if (msg.Metadata?.Sequence.Stream >= last) break;
        }
        return messages;
    }

    private static StoredMessage ToStored(INatsJSMsg<byte[]> msg)
    {
        string? Header(string name) => msg.Headers is { } h && h.TryGetValue(name, out var v) ? v.ToString() : null;
        return new StoredMessage(msg.Subject, Encoding.UTF8.GetString(msg.Data ?? []), Header("Nats-Msg-Id"), SourceSequenceOf(Header("Nats-Stream-Source")));
    }

    /// <summary>Nats-Stream-Source is "ORIGIN-ID SEQUENCE [...]": the second field is the sequence in the origin stream.</summary>
    public static ulong? SourceSequenceOf(string? header)
    {
        if (header is null) return null;
        var fields = header.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length >= 2 && ulong.TryParse(fields[1], out var seq) ? seq : throw new FormatException($"unexpected Nats-Stream-Source '{header}'");
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}

public sealed class ContinuousPublish
{
    public Dictionary<string, ulong> Acked { get; } = [];
    public List<string> Failures { get; } = [];
}
