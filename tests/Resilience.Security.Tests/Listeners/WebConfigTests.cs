using YamlDotNet.RepresentationModel;

namespace Resilience.Security.Tests.Listeners;

public sealed class WebConfigTests
{
    private static readonly string HashA = new BcryptHasher(4).Hash("a");
    private static readonly string HashB = new BcryptHasher(4).Hash("b");

    private static YamlMappingNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    [Fact]
    public void TLS_and_every_user_with_its_hash_are_written_in_exporter_toolkits_keys()
    {
        var yaml = new WebConfig(new WebTls("/etc/tls/hub.crt", "/etc/tls/hub.key"),
            new Dictionary<string, string> { ["scraper"] = HashB, ["admin"] = HashA }).ToYaml();
        var root = Parse(yaml);
        var tls = (YamlMappingNode)root["tls_server_config"];
        Assert.Equal("/etc/tls/hub.crt", tls["cert_file"].ToString());
        Assert.Equal("/etc/tls/hub.key", tls["key_file"].ToString());
        Assert.Equal("TLS12", tls["min_version"].ToString());
        Assert.False(tls.Children.ContainsKey("client_auth_type"));
        Assert.False(tls.Children.ContainsKey("client_ca_file"));
        var users = (YamlMappingNode)root["basic_auth_users"];
        Assert.Equal(HashA, users["admin"].ToString());
        Assert.Equal(HashB, users["scraper"].ToString());
        Assert.True(yaml.IndexOf("admin", StringComparison.Ordinal) < yaml.IndexOf("scraper", StringComparison.Ordinal), "users sorted: no spurious diffs");
    }

    [Fact]
    public void Mutual_TLS_names_the_client_CA_and_requires_verified_client_certificates()
    {
        var tls = (YamlMappingNode)Parse(new WebConfig(new WebTls("c", "k", "/etc/tls/ca.crt", ClientCertificates.Required),
            new Dictionary<string, string>()).ToYaml())["tls_server_config"];
        Assert.Equal("RequireAndVerifyClientCert", tls["client_auth_type"].ToString());
        Assert.Equal("/etc/tls/ca.crt", tls["client_ca_file"].ToString());
        Assert.Throws<ArgumentException>(() => new WebConfig(new WebTls("c", "k", null, ClientCertificates.Required), new Dictionary<string, string>()).ToYaml());
    }

    [Fact]
    public void A_plain_password_in_place_of_a_hash_is_refused_naming_the_user()
    {
        var e = Assert.Throws<ArgumentException>(() => new WebConfig(null, new Dictionary<string, string> { ["admin"] = "hunter2" }).ToYaml());
        Assert.Contains("basic_auth_users.admin", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", e.Message, StringComparison.Ordinal);
    }
}
