using System.Text.Json.Nodes;
using Resilience.Contracts;
using Resilience.Contracts.Docker;
using Resilience.Model;

namespace Resilience.Tests.Contracts;

/// <summary>The credential the tool presents to a secured listener's ready and reload URLs is a declared secret:
/// accepted there only as one, and a secret anywhere else in the same records is still refused.</summary>
public class ProbeAuthContractTests
{
    private static JsonObject Container(JsonNode auth, string url = "https://h:1/-/ready") => new()
    {
        ["name"] = "c",
        ["image"] = "img:1",
        ["ready"] = new JsonObject { ["url"] = url, ["auth"] = auth },
        ["reload"] = new JsonObject { ["kind"] = "http", ["url"] = "https://h:1/-/reload", ["auth"] = auth.DeepClone() },
    };

    private static JsonObject Auth(JsonNode password) => new() { ["caFile"] = "/var/ca.pem", ["user"] = "operator-g1", ["password"] = password };

    [Fact]
    public void A_secret_password_is_read_into_the_ready_and_reload_auth()
    {
        var read = ContractJson.Read<ContainerInputs>(Container(Auth(Secret.Wrap("pw"))));
        Assert.True(read.Ok, string.Join("; ", read.Failures));
        Assert.Equal("pw", read.Value.Ready!.Auth!.Password.Value);
        Assert.True(read.Value.Reload!.Auth!.Password.IsSecret);
    }

    [Fact]
    public void A_plain_password_a_secret_elsewhere_and_credentials_over_http_are_refused()
    {
        var plain = ContractJson.Read<ContainerInputs>(Container(Auth("pw")));
        Assert.Contains(plain.Failures, f => f.ToString().Contains("must be a secret", StringComparison.Ordinal));

        var secretUser = Auth(Secret.Wrap("pw"));
        secretUser["user"] = Secret.Wrap("u");
        Assert.Contains(ContractJson.Read<ContainerInputs>(Container(secretUser)).Failures, f => f.ToString().Contains("must not contain secrets", StringComparison.Ordinal));

        var overHttp = ContractJson.Read<ContainerInputs>(Container(Auth(Secret.Wrap("pw")), url: "http://h:1/-/ready"));
        Assert.Contains(overHttp.Failures, f => f.ToString().Contains("must be https://", StringComparison.Ordinal));
    }
}
