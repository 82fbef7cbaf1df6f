using System.Diagnostics;
using Resilience.Model;
using Resilience.Pulumi;
using Resilience.Stack;
using Resilience.Stack.Config;
using Resilience.Stack.Inventory;
using Resilience.Stack.Rendering;
using Resilience.Tests.Stack;
using YamlDotNet.RepresentationModel;

namespace Resilience.Tests.Pulumi;

/// <summary>The Pulumi path of a secured stack (issue 16): the ready and reload commands call the listeners over TLS as
/// the operator without the password on a command line, and the files the hub's user reads are given to it.</summary>
public class SecuredListenerMappingTests
{
    private static PulumiProgram Program(string stack)
    {
        var dir = RepoPaths.Root;
        var settings = StackSettings.Read(new TypedConfig(StackConfig.Load(dir, stack), _ => "p@ss:w/rd")) with { Security = InMemorySecurity.Committed };
        var graph = StackProgram.Build(settings, AgentInventory.Load(Path.Combine(dir, settings.Inventory)), new TemplateRenderer(Path.Combine(dir, "templates")),
            dir, "sha256:" + new string('0', 64), "sha256:" + new string('0', 64));
        return GraphMapper.Map(graph, new DockerTarget("m", "unix:///var/run/docker.sock"), "p");
    }

    private static YamlMappingNode Properties(PulumiProgram program, string key) => program.Resources.Single(r => r.Key == key).Properties;

    private static YamlNode Environment(YamlMappingNode properties, string name) => ((YamlMappingNode)properties["environment"])[name];

    [Theory]
    [InlineData("ready-edgehub", "READY")]
    [InlineData("reload-edgehub", "RELOAD")]
    [InlineData("ready-pushgateway", "READY")]
    [InlineData("reload-alertmanager", "RELOAD")]
    public void Ready_and_reload_commands_trust_the_ca_and_read_the_operator_from_the_environment(string key, string prefix)
    {
        var operatorUser = InMemorySecurity.Committed.User(SecurityRoles.Operator);
        var properties = Properties(Program("pc2"), key);
        var create = properties["create"].ToString();
        Assert.Contains($"--cacert \"$$RESILIENCE_{prefix}_CA\" -K -", create);
        Assert.DoesNotContain(operatorUser.Password, create);
        Assert.Equal(operatorUser.User, Environment(properties, $"RESILIENCE_{prefix}_USER").ToString());
        var password = (YamlMappingNode)Environment(properties, $"RESILIENCE_{prefix}_PASSWORD");
        Assert.Equal(operatorUser.Password, password["fn::secret"].ToString());
        Assert.EndsWith("/tls/ca.pem", Environment(properties, $"RESILIENCE_{prefix}_CA").ToString());
    }

    [Fact]
    public void The_curl_config_the_command_pipes_carries_the_user_and_password_as_one_value()
    {
        // The shell line as Pulumi runs it ($$ is Pulumi's escape of $): printf is the shell's own, so neither value is an argument.
        var create = Properties(Program("pc2"), "ready-edgehub")["create"].ToString().Replace("$$", "$", StringComparison.Ordinal);
        var printf = create[..create.IndexOf(" | ", StringComparison.Ordinal)];
        var info = new ProcessStartInfo("bash", ["-c", printf]) { RedirectStandardOutput = true };
        info.Environment["RESILIENCE_READY_USER"] = "u";
        info.Environment["RESILIENCE_READY_PASSWORD"] = "p4ss";
        using var shell = Process.Start(info)!;
        var config = shell.StandardOutput.ReadToEnd();
        shell.WaitForExit();
        Assert.Equal("user = \"u:p4ss\"\n", config);
    }

    [Fact]
    public void Files_the_hub_reads_as_nobody_are_given_to_it()
    {
        var program = Program("pc2");
        var hubPassword = $"file-edgehub-secrets-{InMemorySecurity.Committed.User(SecurityRoles.Hub).User}-password";
        foreach (var file in new[] { "file-edgehub-tls-server-key-pem", "file-edgehub-web-yml", hubPassword, "file-pushgateway-tls-server-key-pem" })
        {
            var properties = Properties(program, file);
            Assert.Equal("65534:65534", Environment(properties, CliContract.FileOwnerVariable).ToString());
            Assert.Equal("0600", Environment(properties, CliContract.FileModeVariable).ToString());
            Assert.True(Environment(properties, CliContract.FileContentVariable) is YamlMappingNode secret && secret.Children.ContainsKey("fn::secret"), file);
        }
        Assert.False(((YamlMappingNode)Properties(program, "file-edgehub-prometheus-yml")["environment"]).Children.ContainsKey(CliContract.FileOwnerVariable));
    }
}
