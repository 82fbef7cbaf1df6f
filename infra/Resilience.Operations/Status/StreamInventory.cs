using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Resilience.Operations.Status;

/// <summary>Lists one server's JetStream streams: counts, sources with their last contact and lag, replicas.</summary>
public sealed class StreamInventory(TimeSpan timeout, NatsLogin login)
{
    /// <exception cref="NatsException">The server refused or dropped the connection.</exception>
    /// <exception cref="TimeoutException">The server did not answer in time.</exception>
    public async Task<IReadOnlyList<StreamStatus>> ReadAsync(string natsUrl, CancellationToken ct)
    {
        var opts = login.Apply(new NatsOpts
        {
            Url = natsUrl,
            MaxReconnectRetry = 0,
            ConnectTimeout = timeout,
            RequestTimeout = timeout,
        });
        await using var connection = new NatsConnection(opts);
        await connection.ConnectAsync();
        var js = new NatsJSContext(connection);
        var streams = new List<StreamStatus>();
        await foreach (var stream in js.ListStreamsAsync(cancellationToken: ct)) streams.Add(ToStatus(stream.Info));
        return streams.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
    }

    private static StreamStatus ToStatus(StreamInfo info)
    {
        var configured = info.Config.Sources ?? [];
        var sources = (info.Sources ?? []).Select(src => new SourceStatus(
            src.Name,
            DomainOf(configured.FirstOrDefault(c => c.Name == src.Name)),
            src.Active,
            src.Lag)).ToList();
        var replicas = (info.Cluster?.Replicas ?? []).Select(r => new PeerStatus(r.Name, r.Current, r.Offline, r.Active, (ulong)r.Lag)).ToList();
        return new StreamStatus(info.Config.Name ?? "?", info.State.Messages, info.State.LastSeq, sources)
        {
            Leader = info.Cluster?.Leader,
            Replicas = replicas,
        };
    }

    /// <summary>The server keeps a source's domain as its API prefix, "$JS.&lt;domain&gt;.API".</summary>
    private static string? DomainOf(StreamSource? source)
    {
        if (source is null) return null;
        if (!string.IsNullOrEmpty(source.Domain)) return source.Domain;
        var api = source.External?.Api;
        return api is not null && api.StartsWith("$JS.", StringComparison.Ordinal) && api.EndsWith(".API", StringComparison.Ordinal)
            ? api["$JS.".Length..^".API".Length]
            : api;
    }
}
