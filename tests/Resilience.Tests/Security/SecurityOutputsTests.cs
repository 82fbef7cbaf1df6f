using Resilience.Cli;
using Resilience.Model;
using Resilience.Operations.Security;
using Resilience.Secrets;
using Resilience.Stack;
using Resilience.Stack.Config;

namespace Resilience.Tests.Security;

/// <summary>What `stack output` gives an operator of a secured stack: the CA as a file, users, and secret URLs with credentials.</summary>
public sealed class SecurityOutputsTests : IDisposable
{
    private const string Passphrase = "outputs-test-passphrase";
    private static readonly Func<string, string?> Env = name => name == PassphraseEnvironment.Variable ? Passphrase : null;
    private readonly TempProject _project = new();

    private ResourceGraph Graph(string stack)
    {
        var config = StackConfig.Load(_project.Dir, stack);
        return StackProgram.Run(config, _project.Dir, decrypt: ConfigSecrets.Decrypter(config, Env));
    }

    [Fact]
    public void Without_material_the_outputs_are_as_before()
    {
        var outputs = Graph("pc2").Outputs;

        Assert.DoesNotContain(SecurityOutputs.CaCertificatePem, outputs.Keys);
        Assert.DoesNotContain(outputs.Keys, k => k.StartsWith("operator", StringComparison.Ordinal) || k.EndsWith("HubCredentialsUrl", StringComparison.Ordinal));
    }

    [Fact]
    public void With_material_the_CA_users_and_credential_URLs_are_outputs_passwords_secret()
    {
        PairMaterial.Ensure(_project.Dir, DateTimeOffset.UtcNow, MaterialOptions.Default with { GetVariable = Env });
        var config = StackConfig.Load(_project.Dir, "pc2");
        var security = StackSettings.Read(new TypedConfig(config, ConfigSecrets.Decrypter(config, Env))).Security!;
        var op = security.User(SecurityRoles.Operator);
        var admin = security.User(SecurityRoles.NatsAdmin);

        var outputs = Graph("pc2").Outputs;

        Assert.Equal(new StackOutput(security.CaCertificatesPem), outputs[SecurityOutputs.CaCertificatePem]);
        Assert.Equal(new StackOutput(op.User), outputs["operatorUser"]);
        Assert.Equal(new StackOutput(op.Password, Secret: true), outputs["operatorPassword"]);
        Assert.Equal(new StackOutput(admin.Password, Secret: true), outputs["natsAdminPassword"]);
        var hub = outputs["edgeHubCredentialsUrl"];
        Assert.True(hub.Secret);
        var edgeHubUrl = outputs["edgeHubUrl"].Value;
        Assert.Equal(edgeHubUrl.Replace("://", $"://{op.User}:{op.Password}@", StringComparison.Ordinal), hub.Value);
        Assert.True(outputs["natsCredentialsUrl"].Secret);
        Assert.Contains($"{admin.User}:{admin.Password}@", outputs["natsCredentialsUrl"].Value);
        Assert.All(outputs.Where(o => !o.Value.Secret), o => Assert.DoesNotContain(op.Password, o.Value.Value));
    }

    [Fact]
    public void Stack_output_writes_the_CA_to_a_0644_file_and_lists_its_path()
    {
        var dir = _project.PathOf(".resilience/pc2");
        var outputs = new Dictionary<string, StackOutput>
        {
            [SecurityOutputs.CaCertificatePem] = new("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"),
            ["edgeHubUrl"] = new("https://127.0.0.3:9100"),
        };

        var shown = CaFile.Replace(outputs, dir, p => "shown:" + p);

        var file = Path.Combine(dir, "ca.pem");
        Assert.Equal(outputs[SecurityOutputs.CaCertificatePem].Value, File.ReadAllText(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(file));
        Assert.Equal(["caFile", "edgeHubUrl"], shown.Keys.Order());
        Assert.Equal("shown:" + file, shown["caFile"].Value);
        Assert.Equal(["x"], CaFile.Replace(new Dictionary<string, StackOutput> { ["x"] = new("y") }, dir, p => p).Keys);
    }

    public void Dispose() => _project.Dispose();
}
