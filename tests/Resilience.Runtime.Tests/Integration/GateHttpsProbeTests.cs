using Resilience.Operations;
using Resilience.Operations.Gates;
using Resilience.Stack.Config;
using Resilience.Testing.Runtime;

namespace Resilience.Runtime.Tests.Integration;

/// <summary>
/// A gate's HTTP check of a runtime's /status against a real runtime serving HTTPS with basic auth: with the stack's
/// material the probe trusts the pair's CA and presents the operator; without it, or with a wrong password, it fails.
/// </summary>
[Trait("Category", "Integration")]
public sealed class GateHttpsProbeTests : IDisposable
{
    private static readonly string Address = LoopbackAddresses.For("gate-https-probe");
    private const int Port = 19320;
    private readonly TempDir _dir = new();
    private readonly TestPki _pki;

    public GateHttpsProbeTests() => _pki = new TestPki(_dir.Path, Address);

    private SecuritySettings Material(string operatorPassword) => new(
        File.ReadAllText(_pki.CaFile),
        new Dictionary<string, ServiceCertificate>(),
        TestPki.Roles.ToDictionary(role => role, role => new UserCredential(_pki.Users[role].User,
            role == SecurityRoles.Operator ? operatorPassword : _pki.Users[role].Password, _pki.Hashes[role])));

    private static GateTargets Targets(SecuritySettings? security) => new(
        new Dictionary<string, string>(), new Dictionary<string, string>(), new Dictionary<string, string>(),
        new Dictionary<string, string> { ["pc2"] = $"https://{Address}:{Port}" },
        new Dictionary<string, string> { ["pc2"] = Address }, new NatsLogin("resilience", null, null))
    {
        Security = security,
    };

    private static async Task<ProbeAnswer> StatusAsync(GateTargets targets)
    {
        using var probe = new LiveProbe(targets, null!, TimeSpan.FromSeconds(5));
        return await probe.MeasureAsync(new ProbeSpec.RuntimeStatus("pc2", "machine"), CancellationToken.None);
    }

    [Fact]
    public async Task The_runtime_status_check_answers_with_the_operator_and_the_ca_and_fails_without_them()
    {
        await using var runtime = await RuntimeUnderTest.StartAsync($$"""
            machine: pc2
            listen: https://{{Address}}:{{Port}}
            tiers:
              - { name: pushgateway, kind: pushgateway, url: "https://{{Address}}:19321" }
            buffer: { path: "{{_dir.Path}}/buffer.log", maxBytes: 1048576, fsync: never }
            https:
              certFile: {{_pki.Machine.CertFile}}
              keyFile: {{_pki.Machine.KeyFile}}
              caFile: {{_pki.CaFile}}
              users:
                - { user: {{_pki.Operator.User}}, role: operator, passwordHash: "{{_pki.Hashes["operator"]}}" }
            """, _dir.Path);

        var answer = Assert.IsType<ProbeAnswer.Values>(await StatusAsync(Targets(Material(_pki.Operator.Password))));
        Assert.Equal("pc2", Assert.Single(answer.Series).Value.ToString());

        var wrong = Assert.IsType<ProbeAnswer.Error>(await StatusAsync(Targets(Material(_pki.Operator.Password + "x"))));
        Assert.Contains("401", wrong.Message);
        // Without the material the system's roots are trusted, and none of them signed the runtime's certificate.
        Assert.IsType<ProbeAnswer.Error>(await StatusAsync(Targets(null)));
    }

    public void Dispose()
    {
        _pki.Dispose();
        _dir.Dispose();
    }
}
