using System.Net;
using System.Net.Sockets;
using static Resilience.Security.Tests.Integration.PrometheusFamily;

namespace Resilience.Security.Tests.Integration;

/// <summary>
/// The web configs this project renders, on the real servers: plain HTTP, no credentials and a wrong password are
/// refused, the right user with the CA is let in, a client that trusts another CA does not connect, and the
/// lifecycle and write endpoints answer only with credentials. The same servers without a web config answer anyone
/// (the negative control: the refusals above come from the config).
/// </summary>
[Trait("Category", "Integration")]
public sealed class PrometheusFamilyListenerTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string Address = LoopbackAddresses.For("security-web");
    private readonly TlsMaterial _tls = new(Address);
    private readonly Credential _admin = Credential.Generate("admin");
    private readonly Credential _previous = Credential.Generate("admin-previous");

    public void Dispose() => _tls.Dispose();

    private string WriteWebConfig(WebTls tls, string name = "web.yml")
    {
        var hasher = new BcryptHasher();
        var config = new WebConfig(tls, new Dictionary<string, string>
        {
            [_admin.User] = hasher.Hash(_admin.Password),
            [_previous.User] = hasher.Hash(_previous.Password),
        });
        var path = Path.Combine(_tls.Dir, name);
        File.WriteAllText(path, config.ToYaml());
        return path;
    }

    private WebTls ServerTls(bool clientCertificates = false) => clientCertificates
        ? new WebTls(_tls.ServerFiles.CertFile, _tls.ServerFiles.KeyFile, _tls.CaFile, ClientCertificates.Required)
        : new WebTls(_tls.ServerFiles.CertFile, _tls.ServerFiles.KeyFile);

    [Fact]
    public void Promtool_accepts_the_rendered_web_config_and_rejects_a_broken_one()
    {
        var good = Tool.Run("/usr/bin/promtool", "check", "web-config", WriteWebConfig(ServerTls(clientCertificates: true)));
        Assert.True(good.ExitCode == 0, good.ToString());
        // Negative control: promtool does check (a plain password where a hash belongs is refused).
        var broken = Path.Combine(_tls.Dir, "broken.yml");
        File.WriteAllText(broken, "basic_auth_users:\n  admin: hunter2\n");
        var bad = Tool.Run("/usr/bin/promtool", "check", "web-config", broken);
        Assert.True(bad.ExitCode != 0, bad.ToString());
    }

    [Theory]
    [InlineData(Kind.Prometheus)]
    [InlineData(Kind.Pushgateway)]
    [InlineData(Kind.Alertmanager)]
    public async Task Only_HTTPS_with_a_known_user_gets_in_and_only_a_client_trusting_our_CA_connects(Kind kind)
    {
        using var server = Start(kind, _tls.Dir, Address, WriteWebConfig(ServerTls()));
        var https = new Uri($"https://{Address}:{PortOf(kind)}/-/healthy");

        using (var plain = new HttpClient())
        {
            using var response = await plain.GetAsync(new Uri($"http://{Address}:{PortOf(kind)}/-/healthy"));
            Report(kind, "plain HTTP", response);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("HTTPS", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var anonymous = _tls.Http())
        using (var response = await anonymous.GetAsync(https))
        {
            Report(kind, "HTTPS, no credentials", response);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        using (var wrong = _tls.Http(_admin with { Password = Credential.RandomPassword() }))
        using (var response = await wrong.GetAsync(https))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        using (var unknown = _tls.Http(new Credential("intruder", _admin.Password)))
        using (var response = await unknown.GetAsync(https))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        foreach (var user in new[] { _admin, _previous })
        {
            using var right = _tls.Http(user);
            using var response = await right.GetAsync(https);
            Report(kind, $"HTTPS, {user.User}", response);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        using var otherCa = CertificateAuthority.Create("resilience test pair", DateTimeOffset.UtcNow);
        using var stranger = _tls.Http(_admin, new CaTrust(otherCa.Certificate));
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => stranger.GetAsync(https));
        output.WriteLine($"{kind}: a client trusting another CA: {refused.InnerException?.GetType().Name}: {refused.InnerException?.Message}");
    }

    /// <summary>The rotation's premise: the servers read the web config again for each request, so adding the new
    /// user and later removing the old one needs no restart and no reload.</summary>
    [Theory]
    [InlineData(Kind.Prometheus)]
    [InlineData(Kind.Pushgateway)]
    [InlineData(Kind.Alertmanager)]
    public async Task A_rewritten_web_config_lets_the_new_user_in_and_the_removed_one_out_without_a_restart(Kind kind)
    {
        var hasher = new BcryptHasher();
        var path = Path.Combine(_tls.Dir, "rotating.yml");
        void Users(params Credential[] users) =>
            File.WriteAllText(path, new WebConfig(ServerTls(), users.ToDictionary(u => u.User, u => hasher.Hash(u.Password))).ToYaml());
        var next = Credential.Generate("admin-next");
        Users(_admin);
        using var server = Start(kind, _tls.Dir, Address, path);
        var https = new Uri($"https://{Address}:{PortOf(kind)}/-/healthy");
        using var old = _tls.Http(_admin);
        using var @new = _tls.Http(next);
        Assert.Equal(HttpStatusCode.Unauthorized, (await @new.GetAsync(https)).StatusCode);

        Users(_admin, next);
        Assert.Equal(HttpStatusCode.OK, (await @new.GetAsync(https)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await old.GetAsync(https)).StatusCode);

        Users(next);
        Assert.Equal(HttpStatusCode.Unauthorized, (await old.GetAsync(https)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await @new.GetAsync(https)).StatusCode);
    }

    /// <summary>Renewal in place: a new key and certificate written over the old files are served to the next
    /// connection, with no restart and no reload.</summary>
    [Fact]
    public async Task A_renewed_certificate_written_in_place_is_served_to_the_next_connection()
    {
        using var server = Start(Kind.Prometheus, _tls.Dir, Address, WriteWebConfig(ServerTls()));
        var https = new Uri($"https://{Address}:9090/-/healthy");
        Assert.Equal(_tls.Server.SerialNumber, await ServedSerialAsync(https));

        using var renewed = _tls.Ca.Issue(LeafSpec.For("listener", CertificateUsage.Server, Address), DateTimeOffset.UtcNow);
        PemFiles.Write(_tls.Dir, "server", Pem.Of(renewed));
        Assert.Equal(renewed.SerialNumber, await ServedSerialAsync(https));
    }

    private async Task<string> ServedSerialAsync(Uri url)
    {
        string? serial = null;
        var trust = new CaTrust(_tls.Ca.Certificate);
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            serial = (certificate as System.Security.Cryptography.X509Certificates.X509Certificate2)?.SerialNumber;
            return trust.Validate(certificate as System.Security.Cryptography.X509Certificates.X509Certificate2, errors);
        };
        using var client = new HttpClient(handler);
        client.DefaultRequestHeaders.Authorization = System.Net.Http.Headers.AuthenticationHeaderValue.Parse(_admin.BasicAuthorization());
        using var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return serial!;
    }

    [Fact]
    public async Task Prometheus_quits_only_for_a_known_user()
    {
        using var server = Start(Kind.Prometheus, _tls.Dir, Address, WriteWebConfig(ServerTls()));
        var quit = new Uri($"https://{Address}:9090/-/quit");
        var reload = new Uri($"https://{Address}:9090/-/reload");
        using var anonymous = _tls.Http();
        using (var response = await anonymous.PostAsync(quit, null)) Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using (var response = await anonymous.PostAsync(reload, null)) Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using (var response = await anonymous.PostAsync(new Uri($"https://{Address}:9090/api/v1/write"), new ByteArrayContent([1, 2, 3])))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        await Task.Delay(500);
        using var admin = _tls.Http(_admin);
        using (var response = await admin.GetAsync(new Uri($"https://{Address}:9090/-/healthy")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // Positive control: the endpoint is live, so the 401 above is the web config's doing, not a disabled lifecycle.
        using (var response = await admin.PostAsync(quit, null)) Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Poll.UntilAsync(async () => !await AcceptsAsync(Address, 9090), TimeSpan.FromSeconds(15), "prometheus to exit after an authorised /-/quit");
    }

    [Fact]
    public async Task The_Pushgateway_takes_and_deletes_groups_only_for_a_known_user()
    {
        using var server = Start(Kind.Pushgateway, _tls.Dir, Address, WriteWebConfig(ServerTls()));
        var group = new Uri($"https://{Address}:9091/metrics/job/intruder");
        using var anonymous = _tls.Http();
        using (var response = await anonymous.PostAsync(group, new StringContent("x 1\n"))) Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using (var response = await anonymous.DeleteAsync(group)) Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using (var response = await anonymous.PostAsync(new Uri($"https://{Address}:9091/-/quit"), null)) Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

        using var admin = _tls.Http(_admin);
        using (var response = await admin.PostAsync(group, new StringContent("x 1\n"))) Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("job=\"intruder\"", await admin.GetStringAsync(new Uri($"https://{Address}:9091/metrics")), StringComparison.Ordinal);
        using (var response = await admin.DeleteAsync(group)) Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Alertmanager_reloads_only_for_a_known_user()
    {
        using var server = Start(Kind.Alertmanager, _tls.Dir, Address, WriteWebConfig(ServerTls()));
        var reload = new Uri($"https://{Address}:9093/-/reload");
        using var anonymous = _tls.Http();
        using (var response = await anonymous.PostAsync(reload, null)) Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using (var response = await anonymous.GetAsync(new Uri($"https://{Address}:9093/api/v2/alerts"))) Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var admin = _tls.Http(_admin);
        using (var response = await admin.PostAsync(reload, null)) Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using (var response = await admin.GetAsync(new Uri($"https://{Address}:9093/api/v2/alerts"))) Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task With_client_certificates_required_the_right_password_alone_is_not_enough()
    {
        using var server = Start(Kind.Prometheus, _tls.Dir, Address, WriteWebConfig(ServerTls(clientCertificates: true)));
        var https = new Uri($"https://{Address}:9090/-/healthy");
        using var passwordOnly = _tls.Http(_admin);
        await Assert.ThrowsAsync<HttpRequestException>(() => passwordOnly.GetAsync(https));
        using var mutual = _tls.Http(_admin, clientCertificate: _tls.Client);
        using var response = await mutual.GetAsync(https);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>What the stacks' listeners answer today (no web config): the same calls the tests above see refused.</summary>
    [Theory]
    [InlineData(Kind.Prometheus)]
    [InlineData(Kind.Pushgateway)]
    [InlineData(Kind.Alertmanager)]
    public async Task Without_a_web_config_the_same_server_answers_anyone(Kind kind)
    {
        using var server = Start(kind, _tls.Dir, Address, webConfigFile: null);
        using var plain = new HttpClient();
        var root = new Uri($"http://{Address}:{PortOf(kind)}");
        using (var response = await plain.GetAsync(new Uri(root, "/-/healthy"))) Expect(kind, "GET /-/healthy", response, HttpStatusCode.OK);
        switch (kind)
        {
            case Kind.Prometheus:
                using (var response = await plain.PostAsync(new Uri(root, "/-/reload"), null)) Expect(kind, "POST /-/reload", response, HttpStatusCode.OK);
                using (var response = await plain.PostAsync(new Uri(root, "/-/quit"), null)) Expect(kind, "POST /-/quit", response, HttpStatusCode.OK);
                await Poll.UntilAsync(async () => !await AcceptsAsync(Address, 9090), TimeSpan.FromSeconds(15), "prometheus to exit after an anonymous /-/quit");
                break;
            case Kind.Pushgateway:
                var group = new Uri(root, "/metrics/job/intruder");
                using (var response = await plain.PostAsync(group, new StringContent("x 1\n"))) Expect(kind, "POST /metrics/job/intruder", response, HttpStatusCode.OK);
                using (var response = await plain.DeleteAsync(group)) Expect(kind, "DELETE /metrics/job/intruder", response, HttpStatusCode.Accepted);
                using (var response = await plain.PostAsync(new Uri(root, "/-/quit"), null)) Expect(kind, "POST /-/quit", response, HttpStatusCode.OK);
                break;
            default:
                using (var response = await plain.PostAsync(new Uri(root, "/-/reload"), null)) Expect(kind, "POST /-/reload", response, HttpStatusCode.OK);
                using (var response = await plain.GetAsync(new Uri(root, "/api/v2/alerts"))) Expect(kind, "GET /api/v2/alerts", response, HttpStatusCode.OK);
                break;
        }
    }

    private void Expect(Kind kind, string what, HttpResponseMessage response, HttpStatusCode expected)
    {
        Report(kind, $"no web config, anonymous {what}", response);
        Assert.Equal(expected, response.StatusCode);
    }

    private void Report(Kind kind, string what, HttpResponseMessage response) => output.WriteLine($"{kind}: {what}: {(int)response.StatusCode}");

    private static async Task<bool> AcceptsAsync(string address, int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(address, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
