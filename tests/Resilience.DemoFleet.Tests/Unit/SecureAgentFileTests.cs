using Resilience.DemoFleet.Agents;
using Resilience.DemoFleet.Contracts;
using Resilience.Security.Certificates;

namespace Resilience.DemoFleet.Tests.Unit;

/// <summary>The fleet's side of issue 16 in its files: an agent file's push credential and CA, the fleet config's https section.</summary>
public sealed class SecureAgentFileTests : IDisposable
{
    private readonly TempDir _dir = new();

    private string CaFile()
    {
        using var ca = CertificateAuthority.Create("test", DateTimeOffset.UtcNow);
        return _dir.Write("ca.crt", ca.ToPem().Certificate);
    }

    [Fact]
    public void An_https_agent_file_gives_the_pushers_credential_and_the_ca_and_never_prints_the_password()
    {
        CaFile();
        var path = _dir.Write("a.yaml", """
            agent: A
            push_target: "https://127.0.0.3:9095/metrics/job/A"
            push_auth: { user: pusher-g1, password: Secr3tSecr3t, ca_file: ca.crt }
            """);
        var file = AgentFileReader.Read(path, "A")!;
        Assert.Equal(new PushCredential("pusher-g1", "Secr3tSecr3t"), file.PushAuth);
        Assert.Single(file.PushCa!);
        Assert.DoesNotContain("Secr3tSecr3t", file.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("push_target: \"http://x/metrics/job/A\"\npush_auth: { user: u, password: p }\n", "push_auth: the push target 'http://x/metrics/job/A' is not https")]
    [InlineData("push_target: \"https://x/metrics/job/A\"\npush_auth: { user: u }\n", "push_auth.password: is required")]
    [InlineData("push_target: \"https://x/metrics/job/A\"\npush_auth: { user: u, password: p, ca_file: absent.crt }\n", "push_auth.ca_file: cannot read")]
    [InlineData("push_target: \"https://x/metrics/job/A\"\npush_auth: { user: u, password: p, ca_file: a.yaml }\n", "push_auth.ca_file:")]
    public void A_credential_in_clear_or_an_unreadable_ca_is_an_error_naming_the_file_and_key(string text, string problem)
    {
        var path = _dir.Write("a.yaml", text);
        var e = Assert.Throws<AgentFileException>(() => AgentFileReader.Read(path, "A"));
        Assert.StartsWith(path + ": ", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_https_section_round_trips_and_a_plain_password_or_unknown_role_is_refused()
    {
        var config = new FleetConfig("127.0.0.3", 9190, TimeSpan.FromSeconds(5), [new FleetAgent("A", 7001)])
        {
            Https = new FleetHttps("/etc/resilience/fleet/tls/machine.crt", "/etc/resilience/fleet/tls/machine.key",
                [new FleetUser("operator-g1", "operator", "$2a$04$abcdefghijklmnopqrstuu")]),
        };
        var back = FleetConfigYaml.Parse(FleetConfigYaml.Write(config), "fleet.yaml");
        Assert.Equal(config.Https.KeyFile, back.Https!.KeyFile);
        Assert.Equal(config.Https.Users, back.Https.Users);

        var plain = config with { Https = config.Https with { Users = [new FleetUser("operator-g1", "operator", "hunter2")] } };
        Assert.Contains("https.users[0].passwordHash: is not a bcrypt hash", Assert.Throws<FleetConfigException>(() => FleetConfigYaml.Write(plain)).Message);
        var yaml = FleetConfigYaml.Write(config).Replace("role: operator", "role: admin", StringComparison.Ordinal);
        var e = Assert.Throws<FleetConfigException>(() => FleetConfigYaml.Parse(yaml, "fleet.yaml"));
        Assert.Contains("https.users[0].role: 'admin' is not one of: operator, hub, pusher", e.Message);
        Assert.Null(FleetConfigYaml.Parse(FleetConfigYaml.Write(config with { Https = null }), "fleet.yaml").Https);
    }

    public void Dispose() => _dir.Dispose();
}
