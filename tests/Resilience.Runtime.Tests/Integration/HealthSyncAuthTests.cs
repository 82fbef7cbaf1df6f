namespace Resilience.Runtime.Tests.Integration;

/// <summary>The health sync against a real nats-server that requires a user and password.</summary>
[Trait("Category", "Integration")]
public sealed class HealthSyncAuthTests : ServerTest
{
    private static readonly string Address = LoopbackAddresses.For("runtime-health-sync-auth");
    private const string Password = "pa55-w0rd-never-shown";

    private static string Yaml(string natsUrl, string bufferDir, int listenPort) => $$"""
        machine: pc2
        listen: http://{{Address}}:{{listenPort}}
        tiers:
          - { name: local-hub, kind: hub, url: "http://{{Address}}:19251" }
        buffer: { path: "{{bufferDir}}/buffer-{{listenPort}}.log", maxBytes: 1048576, fsync: never }
        probe: { interval: 500ms, timeout: 300ms }
        health: { interval: 2s, timeout: 2s, probeInterval: 100ms }
        nats:
          url: "{{natsUrl}}"
          healthSubjectPrefix: observability.health
        agents:
          - { name: agent-a, healthUrl: "http://{{Address}}:19260/health" }
        """;

    [Fact]
    public async Task Health_events_reach_a_password_protected_server_deduplicated_and_the_password_is_never_shown()
    {
        using var nats = Servers.NatsFromConfig(Dir.Path, "nats-auth", $$"""
            listen: {{Address}}:19250
            http: {{Address}}:19258
            authorization { user: runtime, password: "{{Password}}" }
            jetstream { store_dir: "{{Dir.Path}}/js" }
            """, Address, 19258);
        await nats.StartAsync();
        await using var admin = new NatsClient(new NatsOpts
        {
            Url = $"nats://{Address}:19250",
            AuthOpts = new NatsAuthOpts { Username = "runtime", Password = Password },
        });
        var js = admin.CreateJetStreamContext();
        await js.CreateOrUpdateStreamAsync(new StreamConfig("observability-health", ["observability.health.*"]) { DuplicateWindow = TimeSpan.FromMinutes(2) });
        await using var agent = await AgentServer.StartAsync("agent-a", Address, 19260);

        await using var runtime = await RuntimeUnderTest.StartAsync(Yaml($"nats://runtime:{Password}@{Address}:19250", Dir.Path, 19254), Dir.Path);
        await runtime.WaitForAsync(async () => await runtime.MetricAsync("resilience_nats_up") == 1, TimeSpan.FromSeconds(10), "NATS up with credentials");
        var first = await WaitForEventAsync(js, e => e.GetProperty("status").GetString() == "up");
        Assert.Equal("pc2", first.Event.GetProperty("machine").GetString());
        Assert.Equal("agent-a", first.Event.GetProperty("agent").GetString());
        Assert.Equal($"pc2-health-agent-a-{first.Event.GetProperty("at").GetDateTimeOffset().ToUnixTimeMilliseconds()}", first.MsgId);

        // A change is published at once (probed within a probe interval), not at the next 2 s heartbeat.
        var flipped = DateTimeOffset.UtcNow;
        agent.Healthy = false;
        var down = await WaitForEventAsync(js, e => e.GetProperty("status").GetString() == "down");
        var probedAfter = down.Event.GetProperty("at").GetDateTimeOffset() - flipped;
        Assert.True(probedAfter < TimeSpan.FromSeconds(1.5), $"down event probed {probedAfter} after the change");
        Assert.Equal(0, await runtime.MetricAsync("resilience_agent_up{machine=\"pc2\",agent=\"agent-a\"}"));
        using (var health = JsonDocument.Parse(await runtime.Http.GetStringAsync("/health")))
        {
            var entry = health.RootElement.GetProperty("agents").EnumerateArray().Single();
            Assert.Equal("down", entry.GetProperty("status").GetString());
            Assert.Equal(down.Event.GetProperty("at").GetDateTimeOffset(), entry.GetProperty("at").GetDateTimeOffset());
        }

        // The same event again (a redelivery) is dropped by its Nats-Msg-Id: the server answers with the stored copy.
        var again = await js.PublishAsync("observability.health.pc2", down.Data, opts: new NatsJSPubOpts { MsgId = down.MsgId });
        Assert.True(again.Duplicate);
        Assert.Equal(down.Seq, again.Seq);

        // Heartbeat: with the status unchanged, an event at least every health.interval.
        await WaitForEventAsync(js, e => e.GetProperty("status").GetString() == "down"
            && e.GetProperty("at").GetDateTimeOffset() > down.Event.GetProperty("at").GetDateTimeOffset(), TimeSpan.FromSeconds(5));

        // A wrong password: the runtime stays disconnected and says why, without the password either.
        await using var wrong = await RuntimeUnderTest.StartAsync(Yaml($"nats://runtime:wrong-{Password}@{Address}:19250", Dir.Path, 19255), Dir.Path, "wrong");
        await Task.Delay(3000);
        Assert.Equal(0, await wrong.MetricAsync("resilience_nats_up"));

        foreach (var rt in new[] { runtime, wrong })
        {
            foreach (var path in new[] { "/status", "/metrics", "/health" })
            {
                Assert.DoesNotContain(Password, await rt.Http.GetStringAsync(path));
            }
            Assert.NotEmpty(rt.Log.Lines);
            Assert.DoesNotContain(rt.Log.Lines, l => l.Contains(Password, StringComparison.Ordinal));
        }
        Assert.DoesNotContain(Password, File.ReadAllText(Path.Combine(Dir.Path, "nats-auth.log")));
    }

    private sealed record Published(JsonElement Event, string MsgId, byte[] Data, ulong Seq);

    /// <summary>Waits until the newest event on the runtime's subject matches (an older match does not count).</summary>
    private static async Task<Published> WaitForEventAsync(INatsJSContext js, Func<JsonElement, bool> match, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(10));
        var stream = await js.GetStreamAsync("observability-health");
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var msg = (await stream.GetAsync(new StreamMsgGetRequest { LastBySubj = "observability.health.pc2" })).Message;
                var data = msg.Data.ToArray();
                var e = JsonDocument.Parse(data).RootElement;
                if (match(e))
                {
                    var headers = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(msg.Hdrs ?? ""));
                    var id = headers.Split("\r\n").Single(h => h.StartsWith("Nats-Msg-Id:", StringComparison.Ordinal))["Nats-Msg-Id:".Length..].Trim();
                    return new Published(e, id, data, msg.Seq);
                }
            }
            catch (NatsJSApiException ex) when (ex.Error.Code == 404)
            {
                // Nothing published yet.
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("no matching health event in observability-health");
    }
}
