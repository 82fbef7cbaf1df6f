using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Resilience.Security.Certificates;
using Resilience.Security.Listeners;
using Resilience.Security.Passwords;
using Resilience.Testing;

namespace Resilience.Bench.Security;

/// <summary>
/// Per-request cost of TLS and bcrypt basic auth on a real Prometheus 2.42, against the same server without a web
/// config in the same run: the first request of a connection (handshake, first password check), the following ones on
/// that connection, and requests that each open a new connection.
/// </summary>
public static class RequestBench
{
    private sealed record Variant(string Name, bool Tls, int? Cost);

    public static async Task RunAsync(string address, int requests)
    {
        using var dir = new TempDir("resilience-bench-security-");
        using var ca = CertificateAuthority.Create("bench pair", DateTimeOffset.UtcNow);
        using var server = ca.Issue(LeafSpec.For("prometheus", CertificateUsage.Server, address), DateTimeOffset.UtcNow);
        var files = PemFiles.Write(dir.Path, "server", Pem.Of(server));
        var credential = Credential.Generate("bench");
        var trust = new CaTrust(ca.Certificate);
        Variant[] variants = [new("plain HTTP, no auth (peer)", false, null), new("TLS, no auth", true, null), new("TLS + bcrypt cost 10", true, 10), new("TLS + bcrypt cost 12", true, 12)];
        double? peer = null;
        foreach (var variant in variants)
        {
            string? webConfig = null;
            if (variant.Tls)
            {
                var users = variant.Cost is { } cost ? new Dictionary<string, string> { [credential.User] = new BcryptHasher(cost).Hash(credential.Password) } : [];
                webConfig = Path.Combine(dir.Path, "web.yml");
                await File.WriteAllTextAsync(webConfig, new WebConfig(new WebTls(files.CertFile, files.KeyFile), users).ToYaml());
            }
            using var prometheus = Start(dir.Path, address, webConfig);
            var url = new Uri($"{(variant.Tls ? "https" : "http")}://{address}:9090/-/healthy");
            HttpClient Client() => Authorized(new HttpClient(trust.Handler()), variant.Cost is null ? null : credential);

            using var client = Client();
            var first = Stopwatch.StartNew();
            await Ok(client, url);
            var firstMs = first.Elapsed.TotalMilliseconds;
            var kept = new Latencies();
            for (var i = 0; i < requests; i++)
            {
                var watch = Stopwatch.StartNew();
                await Ok(client, url);
                kept.Add(watch.Elapsed);
            }
            var fresh = new Latencies();
            for (var i = 0; i < Math.Min(requests, 50); i++)
            {
                using var once = Client();
                var watch = Stopwatch.StartNew();
                await Ok(once, url);
                fresh.Add(watch.Elapsed);
            }
            var wrong = new Latencies();
            if (variant.Cost is not null)
            {
                using var intruder = Authorized(new HttpClient(trust.Handler()), credential with { Password = Credential.RandomPassword() });
                for (var i = 0; i < 20; i++)
                {
                    var watch = Stopwatch.StartNew();
                    using var response = await intruder.GetAsync(url);
                    if (response.StatusCode != HttpStatusCode.Unauthorized) throw new InvalidOperationException($"wrong password answered {(int)response.StatusCode}");
                    wrong.Add(watch.Elapsed);
                }
            }
            peer ??= kept.Percentile(50);
            Console.WriteLine($"{variant.Name}: first request {firstMs:0.0} ms; kept-alive {kept} (p50 {kept.Percentile(50) / peer:0.0}x the peer); new connection each {fresh}"
                + (wrong.Count > 0 ? $"; wrong password {wrong}" : ""));
        }
    }

    private static HttpClient Authorized(HttpClient client, Credential? credential)
    {
        if (credential is not null) client.DefaultRequestHeaders.Authorization = AuthenticationHeaderValue.Parse(credential.BasicAuthorization());
        return client;
    }

    private static async Task Ok(HttpClient client, Uri url)
    {
        using var response = await client.GetAsync(url);
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{url} answered {(int)response.StatusCode}");
    }

    private static ServerProcess Start(string dir, string address, string? webConfig)
    {
        var data = Directory.CreateDirectory(Path.Combine(dir, "data-" + Guid.NewGuid().ToString("N"))).FullName;
        var config = Path.Combine(dir, "prometheus.yml");
        File.WriteAllText(config, "global:\n  scrape_interval: 15s\n");
        List<string> arguments = [$"--config.file={config}", $"--storage.tsdb.path={data}", $"--web.listen-address={address}:9090"];
        if (webConfig is not null) arguments.Add($"--web.config.file={webConfig}");
        var server = new ServerProcess("prometheus", "/usr/bin/prometheus", arguments, new Uri($"tcp://{address}:9090"), dir);
        server.StartAsync().GetAwaiter().GetResult();
        return server;
    }
}
