using System.Diagnostics;
using System.Text.Json;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Resilience.Operations.Gates;

/// <summary>Measures probes against the live system: Prometheus' query API, nats-server monitors and NATS, HTTP endpoints.</summary>
public sealed class LiveProbe(GateTargets targets, AgentSets agents, TimeSpan timeout) : IProbe, IDisposable
{
    /// <summary>Every HTTP probe (hubs' query API, NATS monitors, runtimes, agents): as the operator over TLS once the
    /// stacks are secured.</summary>
    private readonly HttpClient _http = new(OperatorHttp.Handler(targets.Security)) { Timeout = timeout };

    public async Task<ProbeAnswer> MeasureAsync(ProbeSpec spec, CancellationToken ct)
    {
        try
        {
            return spec switch
            {
                ProbeSpec.PromQl p => await PromQlAsync(p, ct),
                ProbeSpec.StreamExists s => await StreamAsync(s.Machine, s.Stream, ct) is { } found
                    ? ProbeAnswer.One(s.Stream, GateValue.Of(1))
                    : ProbeAnswer.One(s.Stream, GateValue.Of(0)),
                ProbeSpec.LeafLink l => await LeafAsync(l, ct),
                ProbeSpec.ConsumerLag c => await LagAsync(c, ct),
                ProbeSpec.MessageFlow f => await FlowAsync(f, ct),
                ProbeSpec.RuntimeStatus r => await RuntimeAsync(r, ct),
                ProbeSpec.AgentHealth a => await HealthAsync(a, ct),
                _ => new ProbeAnswer.Error($"no probe for {spec.GetType().Name}"),
            };
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or NatsException or KeyNotFoundException
            or InvalidOperationException && !ct.IsCancellationRequested)
        {
            return new ProbeAnswer.Error(OneLine(e.Message));
        }
    }

    private async Task<ProbeAnswer> PromQlAsync(ProbeSpec.PromQl p, CancellationToken ct)
    {
        var url = $"{targets.Hubs[p.Hub]}/api/v1/query?query={Uri.EscapeDataString(agents.Expand(p.Query))}";
        using var answer = await _http.GetAsync(url, ct);
        if (answer.StatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden)
            return new ProbeAnswer.Error($"{p.Hub} refused the query: HTTP {(int)answer.StatusCode} (the stack's operator credential is not one it accepts)");
        var body = await answer.Content.ReadAsStringAsync(ct);
        return PrometheusAnswer.Parse(body);
    }

    private async Task<JsonElement?> StreamAsync(string machine, string stream, CancellationToken ct)
    {
        var jsz = await _http.GetStringAsync($"{targets.NatsMonitors[machine]}/jsz?accounts=true&streams=true&consumers=true", ct);
        using var doc = JsonDocument.Parse(jsz);
        foreach (var account in Array(doc.RootElement, "account_details"))
        {
            foreach (var s in Array(account, "stream_detail"))
            {
                if (s.TryGetProperty("name", out var n) && n.GetString() == stream) return s.Clone();
            }
        }
        return null;
    }

    private async Task<ProbeAnswer> LagAsync(ProbeSpec.ConsumerLag c, CancellationToken ct)
    {
        if (await StreamAsync(c.Machine, c.Stream, ct) is not { } stream) return new ProbeAnswer.NoData($"no stream {c.Stream} on {c.Machine}");
        foreach (var consumer in Array(stream, "consumer_detail"))
        {
            if (!consumer.TryGetProperty("name", out var n) || n.GetString() != c.Consumer) continue;
            var pending = consumer.TryGetProperty("num_pending", out var p) && p.TryGetInt64(out var v) ? v : 0;
            return ProbeAnswer.One($"{c.Stream}/{c.Consumer}", GateValue.Of(pending));
        }
        return new ProbeAnswer.NoData($"no consumer {c.Consumer} on {c.Stream} ({c.Machine})");
    }

    private async Task<ProbeAnswer> LeafAsync(ProbeSpec.LeafLink l, CancellationToken ct)
    {
        var leafz = await _http.GetStringAsync($"{targets.NatsMonitors[l.Machine]}/leafz", ct);
        using var doc = JsonDocument.Parse(leafz);
        return ProbeAnswer.One("leafnodes", GateValue.Of(Array(doc.RootElement, "leafs").Count()));
    }

    /// <summary>Publishes a marked message on one machine and waits for the other machine's stream to store it.</summary>
    private async Task<ProbeAnswer> FlowAsync(ProbeSpec.MessageFlow f, CancellationToken ct)
    {
        var marker = $"gate-probe-{Guid.NewGuid():N}";
        await using var from = Connect(f.From);
        await using var to = Connect(f.To);
        var js = new NatsJSContext(to);
        var clock = Stopwatch.StartNew();
        await from.PublishAsync(f.Subject, marker, headers: new NatsHeaders { ["Nats-Msg-Id"] = marker }, cancellationToken: ct);
        var stream = await js.GetStreamAsync(f.Stream, cancellationToken: ct);
        while (clock.Elapsed < _http.Timeout)
        {
            try
            {
                var last = await stream.GetAsync(new StreamMsgGetRequest { LastBySubj = f.Subject }, ct);
                if (System.Text.Encoding.UTF8.GetString(last.Message.Data.Span).Contains(marker, StringComparison.Ordinal))
                    return ProbeAnswer.One($"{f.From}->{f.To}", GateValue.Of(clock.Elapsed.TotalSeconds));
            }
            catch (NatsJSApiException e) when (e.Error.Code == 404)
            {
                // nothing stored under the subject yet
            }
            await Task.Delay(100, ct);
        }
        return new ProbeAnswer.NoData($"the message published on {f.From} ({f.Subject}) was not in {f.Stream} on {f.To} within {_http.Timeout.TotalSeconds:0} s");
    }

    private NatsConnection Connect(string machine) => new(targets.Nats.Apply(new NatsOpts
    {
        Url = targets.NatsUrls[machine],
        Name = "resilience-gate",
        ConnectTimeout = _http.Timeout,
        RequestTimeout = _http.Timeout,
    }));

    private async Task<ProbeAnswer> RuntimeAsync(ProbeSpec.RuntimeStatus r, CancellationToken ct)
    {
        var status = await _http.GetStringAsync($"{targets.Runtimes[r.Machine]}/status", ct);
        using var doc = JsonDocument.Parse(status);
        var node = doc.RootElement;
        foreach (var part in r.Field.Split('.'))
        {
            if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty(part, out node))
                return new ProbeAnswer.NoData($"the runtime's /status has no {r.Field}");
        }
        var value = node.ValueKind switch
        {
            JsonValueKind.Number => GateValue.Of(node.GetDouble()),
            JsonValueKind.True => GateValue.Of(true),
            JsonValueKind.False => GateValue.Of(false),
            JsonValueKind.String => GateValue.Of(node.GetString()!),
            _ => GateValue.Of(node.GetRawText()),
        };
        return ProbeAnswer.One($"{r.Machine}.{r.Field}", value);
    }

    private async Task<ProbeAnswer> HealthAsync(ProbeSpec.AgentHealth a, CancellationToken ct)
    {
        var set = agents[a.Agents];
        if (set.Count == 0) return new ProbeAnswer.NoData($"the set {a.Agents} has no agents on this machine");
        var answers = await Task.WhenAll(set.Select(async agent =>
        {
            try
            {
                using var health = await _http.GetAsync($"{targets.AgentScheme}://{targets.Addresses[agent.Machine]}:{agent.Port}{agent.HealthPath}", ct);
                return new Series(agent.Name, GateValue.Of(health.IsSuccessStatusCode ? 1 : 0));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                return new Series(agent.Name, GateValue.Of(0));
            }
        }));
        return new ProbeAnswer.Values(answers);
    }

    private static IEnumerable<JsonElement> Array(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var a) && a.ValueKind == JsonValueKind.Array ? a.EnumerateArray() : [];

    private static string OneLine(string s) => s.ReplaceLineEndings(" ");

    public void Dispose()
    {
        _http.Dispose();
    }
}
