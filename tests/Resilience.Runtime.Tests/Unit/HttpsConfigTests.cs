using Resilience.Runtime.Config;
using Resilience.Runtime.Contracts;

namespace Resilience.Runtime.Tests.Unit;

public sealed class HttpsConfigTests
{
    private const string Hash = "$2a$04$abcdefghijklmnopqrstuuVhxZQ7dW5rK0l7X8o3m6JcF1pV0Kq2e";

    private static string Config(string listen = "https://0.0.0.0:9095", string users = $"[{{ user: op-g1, role: operator, passwordHash: \"{Hash}\" }}]",
        string client = "{ user: hub-g1, password: s3cretS3cret }") => $$"""
        machine: pc2
        listen: {{listen}}
        tiers:
          - { name: pushgateway, kind: pushgateway, url: "https://127.0.0.1:9091" }
        buffer: { path: /data/buffer.log }
        https:
          certFile: /etc/resilience/tls/machine.crt
          keyFile: /etc/resilience/tls/machine.key
          caFile: /etc/resilience/tls/ca.crt
          users: {{users}}
          client: {{client}}
        """;

    [Fact]
    public void Reads_the_https_section_and_writes_it_back_the_same()
    {
        var c = RuntimeConfigLoader.Parse(Config(), "rt.yaml");
        Assert.Equal("/etc/resilience/tls/ca.crt", c.Https!.CaFile);
        Assert.Equal(HttpRole.Operator, Assert.Single(c.Https.Users).Role);
        Assert.Equal("hub-g1", c.Https.Client!.User);
        Assert.Equal(c, RuntimeConfigLoader.Parse(RuntimeConfigYaml.Write(c), "again.yaml"));
        Assert.Contains("role: operator", RuntimeConfigYaml.Write(c), StringComparison.Ordinal);
    }

    [Fact]
    public void The_client_password_is_never_printed() =>
        Assert.DoesNotContain("s3cretS3cret", RuntimeConfigLoader.Parse(Config(), "rt.yaml").ToString(), StringComparison.Ordinal);

    [Theory]
    [InlineData("http://0.0.0.0:9095", null, null, "rt.yaml: listen: 'http://0.0.0.0:9095/' must be https://")]
    [InlineData(null, "[{ user: op-g1, role: operator, passwordHash: plain }]", null, "rt.yaml: https.users[0].passwordHash: is not a bcrypt hash")]
    [InlineData(null, "[{ user: op-g1, passwordHash: \"$2a$04$x\" }]", null, "rt.yaml: https.users[0].role: is required")]
    [InlineData(null, "[{ user: op-g1, role: admin, passwordHash: \"$2a$04$x\" }]", null, "rt.yaml: https.users[0].role: 'admin' is not one of: operator, hub, pusher")]
    [InlineData(null, "[]", null, "rt.yaml: https.users: at least one user")]
    [InlineData(null, null, "{ user: hub-g1 }", "rt.yaml: https.client.password: is required")]
    public void A_bad_https_section_names_the_key(string? listen, string? users, string? client, string expected)
    {
        var yaml = Config(listen ?? "https://0.0.0.0:9095", users ?? $"[{{ user: op-g1, role: operator, passwordHash: \"{Hash}\" }}]",
            client ?? "{ user: hub-g1, password: s3cretS3cret }");
        var e = Assert.Throws<ConfigException>(() => RuntimeConfigLoader.Parse(yaml, "rt.yaml"));
        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_https_listener_without_the_section_is_refused()
    {
        var yaml = Config().Split("https:\n")[0];
        var e = Assert.Throws<ConfigException>(() => RuntimeConfigLoader.Parse(yaml, "rt.yaml"));
        Assert.StartsWith("rt.yaml: listen: 'https://0.0.0.0:9095/' is https: the https section", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_key_file_is_a_config_error_naming_the_keys_not_a_stack_trace()
    {
        var c = RuntimeConfigLoader.Parse(Config(), "rt.yaml");
        var e = Assert.Throws<ConfigException>(() => Resilience.Runtime.Security.RuntimeSecurity.Load(c.Https!, "rt.yaml"));
        Assert.StartsWith("rt.yaml: https.certFile/https.keyFile: cannot load /etc/resilience/tls/machine.crt", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST", "/metrics/job/a", HttpRole.Pusher)]
    [InlineData("PUT", "/metrics/job/a/instance/b", HttpRole.Pusher)]
    [InlineData("GET", "/metrics", HttpRole.Hub)]
    [InlineData("GET", "/status", HttpRole.Operator)]
    public void Each_endpoint_takes_its_roles(string method, string path, HttpRole allowed) =>
        Assert.Contains(allowed, Resilience.Runtime.Security.EndpointRoles.For(method, path));

    [Fact]
    public void The_ingest_takes_no_reader_and_no_reader_endpoint_takes_a_pusher()
    {
        Assert.Equal([HttpRole.Pusher], Resilience.Runtime.Security.EndpointRoles.For("POST", "/metrics/job/a"));
        Assert.DoesNotContain(HttpRole.Pusher, Resilience.Runtime.Security.EndpointRoles.For("GET", "/metrics/job/a"));
        Assert.DoesNotContain(HttpRole.Pusher, Resilience.Runtime.Security.EndpointRoles.For("DELETE", "/metrics/job/a"));
    }
}
