using System.Text.Json.Nodes;
using Resilience.Model;
using Resilience.Pulumi;
using Resilience.Stack.Config;
using YamlDotNet.RepresentationModel;

namespace Resilience.Tests.Pulumi;

/// <summary>How graph resources become Pulumi resources: what changes trigger what, and what never leaks.</summary>
public class PulumiMappingTests
{
    private static string Serialized(YamlNode node)
    {
        using var writer = new StringWriter();
        new YamlStream(new YamlDocument(node)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    [Fact]
    public void Every_rendered_file_reaches_its_command_byte_for_byte()
    {
        var config = PulumiPrograms.Week(2);
        var (graph, _) = PulumiYamlCompiler.Graph(RepoPaths.Root, "pc2", new PulumiEnvironment("pc2", config, new HashSet<string>()));
        var template = PulumiPrograms.Template("pc2", config);
        var files = graph.OfType("file:file").ToList();
        Assert.True(files.Count > 40, $"only {files.Count} files");
        foreach (var file in files)
        {
            var key = ResourceKeys.For(file);
            // The Alertmanager config is a secret (its receivers): compared by its plaintext, which Pulumi gets as a secret.
            Assert.Equal(Secret.Reveal(file.Inputs["content"]), template.Text(key, "environment", CliContract.FileContentVariable));
            Assert.Equal(file.Inputs["path"]!.GetValue<string>(), template.Text(key, "environment", CliContract.FilePathVariable));
            Assert.Equal(CliContract.HostFileWrite, template.Text(key, "update"));
        }
    }

    [Fact]
    public void A_hub_config_change_rewrites_the_file_and_reloads_without_replacing_the_container()
    {
        var before = PulumiPrograms.Template("pc2", PulumiPrograms.Week(1, ("edgeScrapeInterval", "15s")));
        var after = PulumiPrograms.Template("pc2", PulumiPrograms.Week(1, ("edgeScrapeInterval", "20s")));

        Assert.Equal(Serialized(before.Resources["container-edgehub"]), Serialized(after.Resources["container-edgehub"]));
        Assert.Equal(Serialized(before.Properties("file-edgehub-prometheus-yml")["triggers"]), Serialized(after.Properties("file-edgehub-prometheus-yml")["triggers"]));
        Assert.NotEqual(before.Text("file-edgehub-prometheus-yml", "environment", CliContract.FileContentVariable),
            after.Text("file-edgehub-prometheus-yml", "environment", CliContract.FileContentVariable));
        Assert.NotEqual(Serialized(before.Properties("reload-edgehub")["triggers"]), Serialized(after.Properties("reload-edgehub")["triggers"]));
        var reloadAfter = PulumiTemplate.References(after.Options("reload-edgehub")).ToList();
        Assert.Contains("file-edgehub-prometheus-yml", reloadAfter);
        Assert.Contains("ready-edgehub", reloadAfter);
    }

    [Fact]
    public void Images_are_the_pinned_registry_images_even_where_the_stack_builds_locally()
    {
        var config = StackConfig.Load(RepoPaths.Root, "pc2");
        Assert.Equal("local", config.Find("imageSource")!.Value!.ToString());

        var template = PulumiPrograms.Template("pc2", PulumiPrograms.Week(1, ("prometheusImage", "prom/prometheus:v2.45.0")));
        var images = template.Resources.Keys.Where(k => template.TypeOf(k) == PulumiPackages.RemoteImage)
            .Select(k => template.Text(k, "name")).Order().ToList();
        Assert.Equal(["nats:2.9.10", "prom/alertmanager:v0.25.0", "prom/prometheus:v2.45.0", "prom/pushgateway:v1.5.1", "resilience/demo-fleet:0.1.0", "resilience/runtime:0.1.0"], images);
        Assert.DoesNotContain(template.Resources.Keys, k => k == "publish-runtime"); // the Pulumi path pulls the runtime too
        Assert.DoesNotContain(template.Resources.Keys, k => k == "publish-demo-fleet"); // and the demo fleet
        Assert.Equal("${image-prometheus.imageId}", PulumiTemplate.Scalar(template.Properties("container-edgehub"), "image"));
        var command = (YamlSequenceNode)template.Properties("container-edgehub")["command"];
        Assert.DoesNotContain(command.Children, c => ((YamlScalarNode)c).Value!.StartsWith("--web.local-assets", StringComparison.Ordinal));
    }

    [Fact]
    public void A_stream_setting_the_server_can_change_updates_in_place_and_one_it_cannot_replaces()
    {
        var before = PulumiPrograms.Template("pc2", PulumiPrograms.Week(1, ("metricsMaxAge", "24h")));
        var after = PulumiPrograms.Template("pc2", PulumiPrograms.Week(1, ("metricsMaxAge", "48h")));
        const string key = "stream-observability-metrics";
        var spec = JsonNode.Parse(after.Text(key, "environment", CliContract.SpecVariable))!;
        Assert.Equal("48h", spec["maxAge"]!.GetValue<string>());
        Assert.Equal(Serialized(before.Properties(key)["triggers"]), Serialized(after.Properties(key)["triggers"]));
        Assert.Equal(CliContract.JetStreamApply("stream"), after.Text(key, "update"));
        Assert.Equal(CliContract.JetStreamDelete("stream"), after.Text(key, "delete"));
        Assert.Equal("true", PulumiTemplate.Scalar(after.Options(key), "deleteBeforeReplace"));

        var memory = Compile(HandBuilt(storage: "memory"));
        var file = Compile(HandBuilt(storage: "file"));
        Assert.NotEqual(Serialized(memory.Properties("stream-s")["triggers"]), Serialized(file.Properties("stream-s")["triggers"]));

        // A new address of the same server is an update (apply is idempotent), never a delete of the stream at the old one.
        var moved = Compile(HandBuilt(storage: "file", server: "nats://pc2.lan:4223"));
        Assert.Equal(Serialized(file.Properties("stream-s")["triggers"]), Serialized(moved.Properties("stream-s")["triggers"]));
    }

    [Fact]
    public void Secrets_become_fn_secret_and_literal_dollars_survive_interpolation()
    {
        var template = Compile(HandBuilt(storage: "file"));
        var yaml = Serialized(template.Root);
        Assert.DoesNotContain("top-secret", PlainValues(template.Root));

        var content = (YamlMappingNode)((YamlMappingNode)template.Properties("file-secret-env")["environment"])[CliContract.FileContentVariable];
        Assert.Equal("top-secret ${HOME} $$ $x", PulumiTemplate.Interpolation(((YamlScalarNode)content["fn::secret"]).Value!).Text);
        var spec = (YamlMappingNode)((YamlMappingNode)template.Properties("stream-s")["environment"])[CliContract.SpecVariable];
        var specJson = JsonNode.Parse(PulumiTemplate.Interpolation(((YamlScalarNode)spec["fn::secret"]).Value!).Text)!;
        Assert.Equal("top-secret", Secret.Reveal(specJson["password"]));
        var output = (YamlMappingNode)PulumiTemplate.Child(template.Root, "outputs")!["token"];
        Assert.True(output.Children.ContainsKey(new YamlScalarNode("fn::secret")), yaml);
        Assert.Equal("0600", template.Text("file-secret-env", "environment", CliContract.FileModeVariable));
    }

    [Fact]
    public void The_docker_host_comes_from_config_and_a_bad_one_is_a_config_error()
    {
        using var project = new TempProject();
        var fleet = PulumiPrograms.Template("pc2", new Dictionary<string, string> { ["resilience:dockerHost"] = "ssh://ops@pc2.lan" }, project.Dir);
        Assert.Equal("ssh://ops@pc2.lan", fleet.Text("docker-pc2", "host"));
        Assert.Equal("ssh://ops@pc2.lan", fleet.Text("reload-nats", "environment", "DOCKER_HOST"));

        var local = PulumiPrograms.Template("pc2", projectDir: project.Dir);
        Assert.Equal(PulumiPackages.DefaultDockerHost, local.Text("docker-pc2", "host"));

        var error = Assert.Throws<ConfigException>(() =>
            PulumiPrograms.Compile("pc2", new Dictionary<string, string> { ["resilience:dockerHost"] = "pc2.lan:2375" }, project.Dir));
        Assert.Equal("PULUMI_CONFIG", error.File);
        Assert.Equal("resilience:dockerHost", error.Where);
    }

    [Fact]
    public void PULUMI_CONFIG_wins_over_the_stack_file_and_other_namespaces_are_ignored()
    {
        var fromFile = PulumiPrograms.Template("pc2");
        var fromEnv = PulumiPrograms.Template("pc2", new Dictionary<string, string>
        {
            ["resilience:rolloutWeek"] = "2",
            ["resilience:edgeHubPort"] = "9200",
            ["docker:host"] = "unix:///elsewhere.sock",
        });
        static int AgentFiles(PulumiTemplate t) => t.Resources.Keys.Count(k => k.StartsWith("file-agents-", StringComparison.Ordinal));
        Assert.Equal(3, AgentFiles(fromFile));
        Assert.Equal(40, AgentFiles(fromEnv));
        Assert.Equal("http://127.0.0.3:9100/-/ready", fromFile.Text("ready-edgehub", "environment", "RESILIENCE_READY_URL"));
        Assert.Equal("http://127.0.0.3:9200/-/ready", fromEnv.Text("ready-edgehub", "environment", "RESILIENCE_READY_URL"));
    }

    [Theory]
    [InlineData("pc2", "pc2")]
    [InlineData("acme/resilience/pc2", "pc2")]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void The_stack_comes_from_PULUMI_STACK(string? variable, string? stack)
    {
        var environment = PulumiEnvironment.From(name => name == PulumiEnvironment.StackVariable ? variable : null);
        Assert.Equal(stack, environment.Stack);
    }

    [Fact]
    public void PULUMI_CONFIG_that_is_not_a_json_object_is_a_config_error()
    {
        var error = Assert.Throws<ConfigException>(() => PulumiEnvironment.From(name => name == PulumiEnvironment.ConfigVariable ? "[1,2]" : null));
        Assert.Equal("PULUMI_CONFIG", error.File);
        var parsed = PulumiEnvironment.From(name => name == PulumiEnvironment.ConfigVariable ? """{"resilience:a":"1","resilience:b":2}""" : null);
        Assert.Equal("2", parsed.Config["resilience:b"]);
    }

    private static PulumiTemplate Compile(ResourceGraph graph) =>
        PulumiTemplate.Parse(GraphMapper.Map(graph, new DockerTarget("pc2", PulumiPackages.DefaultDockerHost), "resilience").ToYaml());

    /// <summary>A graph with secrets and '$' in it, which the real stacks do not (yet) have.</summary>
    private static ResourceGraph HandBuilt(string storage, string server = "nats://127.0.0.3:4223")
    {
        var file = new Resource
        {
            Stack = "pc2",
            Type = "file:file",
            Name = "secret.env",
            Inputs = new JsonObject { ["path"] = "/srv/secret.env", ["content"] = Secret.Wrap("top-secret ${HOME} $$ $x"), ["mode"] = "0600" },
        };
        var stream = new Resource
        {
            Stack = "pc2",
            Type = "jetstream:stream",
            Name = "s",
            Inputs = new JsonObject
            {
                ["server"] = server,
                ["name"] = "s",
                ["storage"] = storage,
                ["retention"] = "limits",
                ["password"] = Secret.Wrap("top-secret"),
            },
            DependsOn = [file.Urn],
        };
        return new ResourceGraph("pc2", [file, stream], new Dictionary<string, StackOutput> { ["token"] = new("top-secret", Secret: true) });
    }

    /// <summary>Every scalar that is not under an `fn::secret`.</summary>
    private static string PlainValues(YamlNode node) => node switch
    {
        YamlMappingNode m when m.Children.ContainsKey(new YamlScalarNode("fn::secret")) => "",
        YamlMappingNode m => string.Join("\n", m.Children.Values.Select(PlainValues)),
        YamlSequenceNode s => string.Join("\n", s.Children.Select(PlainValues)),
        YamlScalarNode s => s.Value ?? "",
        _ => "",
    };
}
