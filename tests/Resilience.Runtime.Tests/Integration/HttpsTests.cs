using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Text;
using Resilience.Security.Certificates;
using Resilience.Security.Listeners;
using Resilience.Security.Passwords;

namespace Resilience.Runtime.Tests.Integration;

/// <summary>
/// The runtime with an <c>https</c> section on a real Kestrel, forwarding to a real Pushgateway that has its own web
/// config (TLS with the same CA, basic auth for the hub user): plain HTTP and anonymous callers are refused, each
/// endpoint takes only its roles, and the runtime's own pushes and probes verify the CA and present its credential.
/// </summary>
[Trait("Category", "Integration")]
public sealed class HttpsTests : ServerTest
{
    private static readonly string Address = LoopbackAddresses.For("runtime-https");
    private const int RuntimePort = 19310;
    private const int PushgatewayPort = 19311;

    private string RuntimeYaml(TestPki pki, Credential client, string? caFile = null) => $$"""
        machine: pc2
        listen: https://{{Address}}:{{RuntimePort}}
        tiers:
          - { name: pushgateway, kind: pushgateway, url: "https://{{Address}}:{{PushgatewayPort}}" }
        buffer: { path: "{{Dir.Path}}/buffer.log", maxBytes: 1048576, fsync: never }
        probe: { interval: 200ms, timeout: 2s, failoverThreshold: 1, failbackHold: 0s, maxBackoff: 1s, resendWindow: 0s }
        https:
          certFile: {{pki.Machine.CertFile}}
          keyFile: {{pki.Machine.KeyFile}}
          caFile: {{caFile ?? pki.CaFile}}
          users:
            - { user: {{pki.Operator.User}}, role: operator, passwordHash: "{{pki.Hashes["operator"]}}" }
            - { user: {{pki.Hub.User}}, role: hub, passwordHash: "{{pki.Hashes["hub"]}}" }
            - { user: {{pki.Pusher.User}}, role: pusher, passwordHash: "{{pki.Hashes["pusher"]}}" }
          client: { user: {{client.User}}, password: {{client.Password}} }
        """;

    private ServerProcess StartPushgateway(TestPki pki)
    {
        var webConfig = Path.Combine(Dir.Path, "pushgateway-web.yml");
        File.WriteAllText(webConfig, new WebConfig(new WebTls(pki.Machine.CertFile, pki.Machine.KeyFile),
            new Dictionary<string, string> { [pki.Hub.User] = pki.Hashes["hub"] }).ToYaml());
        var pushgateway = new ServerProcess("pushgateway", "/usr/bin/prometheus-pushgateway",
            [$"--web.listen-address={Address}:{PushgatewayPort}", "--persistence.file=", $"--web.config.file={webConfig}"],
            new Uri($"tcp://{Address}:{PushgatewayPort}"), Dir.Path);
        pushgateway.StartAsync().GetAwaiter().GetResult();
        return pushgateway;
    }

    private static Uri At(string path) => new($"https://{Address}:{RuntimePort}{path}");

    private static StringContent Sample(int value) => new($"https_test_value {value}\n", Encoding.UTF8, "text/plain");

    [Fact]
    public async Task Every_endpoint_refuses_plain_http_and_anonymous_callers_and_takes_only_its_roles()
    {
        using var pki = new TestPki(Dir.Path, Address);
        using var pushgateway = StartPushgateway(pki);
        await using var runtime = await RuntimeUnderTest.StartAsync(RuntimeYaml(pki, pki.Hub), Dir.Path);

        // Plain HTTP on the HTTPS port: no HTTP answer at all.
        using (var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(5) })
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => plain.GetAsync($"http://{Address}:{RuntimePort}/healthz"));
        }

        using var anonymous = pki.Http();
        using var wrong = pki.Http(new Credential(pki.Operator.User, pki.Operator.Password + "x"));
        using var unknown = pki.Http(new Credential("intruder", pki.Operator.Password));
        using var @operator = pki.Http(pki.Operator);
        using var hub = pki.Http(pki.Hub);
        using var pusher = pki.Http(pki.Pusher);
        foreach (var path in new[] { "/healthz", "/status", "/health", "/metrics" })
        {
            foreach (var refused in new[] { anonymous, wrong, unknown })
            {
                using var answer = await refused.GetAsync(At(path));
                Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
                Assert.StartsWith("Basic", answer.Headers.WwwAuthenticate.Single().Scheme);
            }
            using (var byOperator = await @operator.GetAsync(At(path))) Assert.Equal(HttpStatusCode.OK, byOperator.StatusCode);
            using (var byHub = await hub.GetAsync(At(path))) Assert.Equal(HttpStatusCode.OK, byHub.StatusCode);
            using (var byPusher = await pusher.GetAsync(At(path))) Assert.Equal(HttpStatusCode.Forbidden, byPusher.StatusCode);
        }

        // The ingest: only the pusher.
        foreach (var refused in new[] { anonymous, wrong, unknown })
        {
            using var answer = await refused.PostAsync(At("/metrics/job/intruder"), Sample(1));
            Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        }
        foreach (var other in new[] { @operator, hub })
        {
            using var answer = await other.PutAsync(At("/metrics/job/intruder"), Sample(1));
            Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        }
        using (var pushed = await pusher.PostAsync(At("/metrics/job/https-test"), Sample(42)))
        {
            Assert.True(pushed.StatusCode == HttpStatusCode.OK, await pushed.Content.ReadAsStringAsync());
        }

        // It went on over HTTPS with the runtime's hub credential: the Pushgateway holds it, and nothing from the refused calls.
        using var atPushgateway = pki.Http(pki.Hub);
        var groups = await atPushgateway.GetStringAsync($"https://{Address}:{PushgatewayPort}/metrics");
        // A Pushgateway tier gets the push unchanged (no machine label: runtime/README.md).
        Assert.Contains("https_test_value{instance=\"\",job=\"https-test\"} 42", groups);
        Assert.DoesNotContain("intruder", groups);
        using var status = JsonDocument.Parse(await @operator.GetStringAsync(At("/status")));
        Assert.Equal("pushgateway", status.RootElement.GetProperty("active").GetString());
    }

    [Fact]
    public async Task A_client_that_trusts_another_ca_fails_the_handshake()
    {
        using var pki = new TestPki(Dir.Path, Address);
        using var other = new TestPki(Dir.Path, Address, "other");
        await using var runtime = await RuntimeUnderTest.StartAsync(RuntimeYaml(pki, pki.Hub), Dir.Path);

        using var misled = pki.Http(pki.Operator, new CaTrust(other.Ca.Certificate));
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => misled.GetAsync(At("/healthz")));
        Assert.IsType<AuthenticationException>(refused.InnerException);
        // Positive control: the same request trusting the right CA.
        using var trusting = pki.Http(pki.Operator);
        using var answer = await trusting.GetAsync(At("/healthz"));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }

    [Fact]
    public async Task The_runtime_trusts_only_its_ca_and_needs_its_credential_for_the_pushgateway()
    {
        using var pki = new TestPki(Dir.Path, Address);
        using var other = new TestPki(Dir.Path, Address, "other");
        using var pushgateway = StartPushgateway(pki);
        using var pusher = pki.Http(pki.Pusher);

        // Trusting another CA: the Pushgateway's certificate fails, the push lands in the buffer.
        await using (var misled = await RuntimeUnderTest.StartAsync(RuntimeYaml(pki, pki.Hub, other.CaFile), Dir.Path, "misled"))
        {
            using var pushed = await pusher.PostAsync(At("/metrics/job/misled"), Sample(1));
            Assert.Equal(HttpStatusCode.OK, pushed.StatusCode);
            await WaitForBufferAsync(pki, "certificate");
        }
        // With the pusher's credential (not a user of the Pushgateway's web config): 401 there, the buffer again.
        await using (var unknown = await RuntimeUnderTest.StartAsync(RuntimeYaml(pki, pki.Pusher), Dir.Path, "unknown"))
        {
            using var pushed = await pusher.PostAsync(At("/metrics/job/unknown"), Sample(2));
            Assert.Equal(HttpStatusCode.OK, pushed.StatusCode);
            await WaitForBufferAsync(pki, "401");
        }
        using var atPushgateway = pki.Http(pki.Hub);
        var groups = await atPushgateway.GetStringAsync($"https://{Address}:{PushgatewayPort}/metrics");
        Assert.DoesNotContain("https_test_value", groups);
    }

    /// <summary>The Pushgateway tier is down for <paramref name="reason"/> (its last probe's error) and pushes go to the buffer.</summary>
    private static async Task WaitForBufferAsync(TestPki pki, string reason)
    {
        using var http = pki.Http(pki.Operator);
        var last = "";
        await Poll.UntilAsync(async () =>
        {
            last = await http.GetStringAsync(At("/status"));
            using var status = JsonDocument.Parse(last);
            var tier = status.RootElement.GetProperty("tiers")[0];
            return status.RootElement.GetProperty("active").GetString() == "buffer"
                && tier.GetProperty("lastProbe").GetProperty("error").GetString() is { } error
                && error.Contains(reason, StringComparison.OrdinalIgnoreCase);
        }, TimeSpan.FromSeconds(10), $"the pushgateway tier down ({reason})", () => Task.FromResult(last));
    }
}
