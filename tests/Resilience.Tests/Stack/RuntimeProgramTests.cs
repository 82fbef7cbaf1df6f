using System.Text.Json.Nodes;
using Resilience.Model;
using Resilience.Runtime.Config;
using Resilience.Runtime.Contracts;
using ConfigException = Resilience.Stack.Config.ConfigException;
using Resilience.Stack;
using Resilience.Stack.Components;
using Resilience.Stack.Config;

namespace Resilience.Tests.Stack;

/// <summary>The failover runtime in the program's graph: its resources on both machines, its config, its image.</summary>
public class RuntimeProgramTests
{
    private const string ConfigFile = "runtime/runtime.yaml";

    private static ResourceGraph Graph(string stack, string? projectDir = null, Func<ConfigValue, string>? decrypt = null)
    {
        var dir = projectDir ?? RepoPaths.Root;
        return StackProgram.Run(StackConfig.Load(dir, stack), dir, decrypt: decrypt);
    }

    private static Resource Find(ResourceGraph g, string type, string name) =>
        g.Find(Urns.For(g.Stack, type, name)) ?? throw new InvalidOperationException($"{g.Stack} has no {type} {name}");

    private static string Text(JsonNode? content) => Secret.Reveal(content)!;

    /// <summary>The rendered file, loaded by the runtime's own loader (which rejects unknown keys and bad values).</summary>
    private static RuntimeConfig Loaded(ResourceGraph g) =>
        RuntimeConfigLoader.Parse(Text(Find(g, "file:file", ConfigFile).Inputs["content"]), $"{g.Stack}/{ConfigFile}");

    [Theory]
    [InlineData("pc2", "127.0.0.3")]
    [InlineData("mainpc", "127.0.0.2")]
    public void Each_machine_runs_the_runtime_on_its_address_port_9095_with_a_buffer_volume(string stack, string address)
    {
        var g = Graph(stack);
        var container = Find(g, "docker:container", "runtime");
        Assert.Equal("host", container.Inputs["networkMode"]!.GetValue<string>());
        Assert.Equal($"http://{address}:9095/healthz", container.Inputs["ready"]!["url"]!.GetValue<string>());
        Assert.Equal("restart", container.Inputs["reload"]!["kind"]!.GetValue<string>());
        Assert.Equal(["--config", "/etc/resilience/runtime.yaml"], container.Inputs["command"]!.AsArray().Select(a => a!.GetValue<string>()));
        var mounts = container.Inputs["mounts"]!.AsArray();
        Assert.Contains(mounts, m => m!["type"]!.GetValue<string>() == "volume" && m["source"]!.GetValue<string>() == $"{stack}-runtime-data" && m["target"]!.GetValue<string>() == "/data");
        Assert.Contains(Urns.For(stack, "docker:volume", "runtime-data"), container.DependsOn);
        Assert.Contains(Urns.For(stack, "file:file", ConfigFile), container.DependsOn);
        Assert.Contains(Urns.For(stack, "docker:container", "nats"), container.DependsOn);

        var config = Loaded(g);
        Assert.Equal(stack, config.Machine);
        Assert.Equal(new Uri($"http://{address}:9095"), config.Listen);
        Assert.Equal("/data/buffer.log", config.Buffer.Path);
        Assert.Equal($"http://{address}:9095/metrics/job/", g.Outputs["runtimeIngestUrl"].Value);
        Assert.Equal($"http://{address}:9095/status", g.Outputs["runtimeStatusUrl"].Value);
    }

    [Fact]
    public void Pc2_prefers_edgehub_then_centralhub_and_mainpc_the_reverse_each_with_its_own_pushgateway()
    {
        var pc2 = Loaded(Graph("pc2"));
        Assert.Equal(["local-hub=http://127.0.0.3:9100/", "remote-hub=http://127.0.0.2:9000/", "pushgateway=http://127.0.0.3:9091/"],
            pc2.Tiers.Select(t => $"{t.Name}={t.Url}"));
        Assert.Equal([TierKind.Hub, TierKind.Hub, TierKind.Pushgateway], pc2.Tiers.Select(t => t.Kind));
        Assert.Equal(new Uri("nats://127.0.0.3:4223"), pc2.Nats!.Url);
        Assert.Equal(40, pc2.Agents.Count);

        var main = Loaded(Graph("mainpc"));
        Assert.Equal(["local-hub=http://127.0.0.2:9000/", "remote-hub=http://127.0.0.3:9100/", "pushgateway=http://127.0.0.2:9091/"],
            main.Tiers.Select(t => $"{t.Name}={t.Url}"));
        Assert.Equal(new Uri("nats://127.0.0.2:4222"), main.Nats!.Url);
        Assert.Equal(37, main.Agents.Count);

        // Only PC2 re-sends a failed hub's window.
        Assert.Equal(TimeSpan.FromSeconds(5), pc2.Probe.ResendOrDefault.Window);
        Assert.False(main.Probe.ResendOrDefault.Enabled);
        Assert.Equal(new Uri("http://127.0.0.2:5570/health"), main.Agents.Single(a => a.Name == "ModelManagerAgent").HealthUrl);
    }

    [Fact]
    public void Each_runtime_watches_the_other_machine_and_reads_its_health_from_the_stream_the_topology_declares()
    {
        var pc2 = Loaded(Graph("pc2"));
        Assert.Equal(new PeerConfig { Machine = "mainpc", HubUrl = new Uri("http://127.0.0.2:9000/"), JetStreamDomain = "mainpc", ProbeInterval = TimeSpan.FromMilliseconds(500) }, pc2.Peer);
        Assert.Equal(("observability-health-central", "observability-health-peer"), (pc2.Nats!.PeerHealthStream, pc2.Nats.PeerHealthConsumer));
        Assert.Equal(System.Net.IPAddress.Parse("127.0.0.3"), pc2.SourceAddress);
        Assert.Equal((TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(2)), (pc2.Health!.Interval, pc2.Health.Timeout));

        var main = Loaded(Graph("mainpc"));
        Assert.Equal(("pc2", "pc2"), (main.Peer!.Machine, main.Peer.JetStreamDomain));
        Assert.Equal(("observability-health", "observability-health-peer"), (main.Nats!.PeerHealthStream, main.Nats.PeerHealthConsumer));

        using var project = new TempProject();
        project.Replace("Pulumi.yaml", "    default: leafnode", "    default: three-node");
        var clustered = Loaded(Graph("pc2", project.Dir));
        Assert.Null(clustered.Peer!.JetStreamDomain);
        Assert.Equal(("observability-health", "observability-health-peer-pc2"), (clustered.Nats!.PeerHealthStream, clustered.Nats.PeerHealthConsumer));
        var consumers = Graph("mainpc", project.Dir).OfType("jetstream:consumer").Select(r => r.Name).ToList();
        Assert.Contains(clustered.Nats.PeerHealthConsumer, consumers);
    }

    [Theory]
    [InlineData("pc2", false)]
    [InlineData("mainpc", false)]
    [InlineData("pc2", true)]
    public void The_record_the_stack_writes_is_the_record_the_runtime_reads(string stack, bool withPassword)
    {
        using var project = new TempProject();
        if (withPassword) project.Append($"Pulumi.{stack}.yaml", "  resilience:natsPassword:\n    secure: v1:not-used-here\n");
        var dir = project.Dir;
        var settings = StackSettings.Read(new TypedConfig(StackConfig.Load(dir, stack), _ => "p@ss:w/rd"));
        var g = Graph(stack, dir, decrypt: _ => "p@ss:w/rd");
        var read = Loaded(g);
        Assert.Equal(stack, read.Machine);
        // Written again from what was read, the file is the same text: nothing is lost or added on the way.
        Assert.Equal(Text(Find(g, "file:file", ConfigFile).Inputs["content"]),
            RuntimeConfigModel.Render(read, stack));
        Assert.Equal(read, RuntimeConfigYaml.Read(RuntimeConfigYaml.Write(read), "again.yaml"));
        Assert.Equal(settings.Runtime.ProbeInterval, read.Probe.Interval);
        Assert.Equal(withPassword ? new NatsCredentials("resilience", "p@ss:w/rd") : null, read.Nats!.Credentials);
    }

    [Fact]
    public void The_source_hash_follows_the_projects_the_runtime_references()
    {
        var dir = Directory.CreateTempSubdirectory("resilience-sources-").FullName;
        try
        {
            var project = Path.Combine(dir, "Service");
            var contracts = Path.Combine(dir, "Contracts");
            Directory.CreateDirectory(project);
            Directory.CreateDirectory(contracts);
            File.WriteAllText(Path.Combine(project, "Service.csproj"), "<Project><ItemGroup><ProjectReference Include=\"../Contracts/Contracts.csproj\" /></ItemGroup></Project>");
            File.WriteAllText(Path.Combine(contracts, "Contracts.csproj"), "<Project />");
            File.WriteAllText(Path.Combine(contracts, "Config.cs"), "record A;");
            var first = RuntimeSources.Hash(project);
            File.WriteAllText(Path.Combine(contracts, "Config.cs"), "record B;");
            Assert.NotEqual(first, RuntimeSources.Hash(project));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Probe_settings_come_from_config()
    {
        using var project = new TempProject();
        project.Append("Pulumi.pc2.yaml", "  resilience:runtimeFailbackHold: 5s\n  resilience:runtimeProbeInterval: 500ms\n  resilience:failoverThreshold: 2\n");
        var probe = Loaded(Graph("pc2", project.Dir)).Probe;
        Assert.Equal(TimeSpan.FromSeconds(5), probe.FailbackHold);
        Assert.Equal(TimeSpan.FromMilliseconds(500), probe.Interval);
        Assert.Equal(2, probe.FailoverThreshold);
    }

    [Fact]
    public void A_duration_the_runtime_cannot_read_is_a_config_error_naming_the_key()
    {
        using var project = new TempProject();
        // The runtime reads the one grammar (days included); a fraction, which its old parser took, is refused with the fix.
        project.Append("Pulumi.pc2.yaml", "  resilience:runtimeFailbackHold: 1.5s\n");
        var e = Assert.Throws<ConfigException>(() => Graph("pc2", project.Dir));
        Assert.Contains("Pulumi.pc2.yaml", e.File);
        Assert.Contains("resilience:runtimeFailbackHold", e.Message);
        Assert.Contains("write 1s500ms", e.Message);
    }

    [Theory]
    [InlineData("metricsMaxAge", "1m", "duplicate window")] // nats-server would refuse the stream mid-up (10052)
    [InlineData("alertsMaxAge", "7d", "not a stream age")] // Go durations have no days
    public void A_stream_age_nats_would_refuse_is_a_config_error_naming_the_key(string key, string value, string problem)
    {
        using var project = new TempProject();
        project.Append("Pulumi.pc2.yaml", $"  resilience:{key}: {value}\n");
        var e = Assert.Throws<ConfigException>(() => Graph("pc2", project.Dir));
        Assert.Contains("Pulumi.pc2.yaml", e.File);
        Assert.Contains($"resilience:{key}", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void The_runtime_port_takes_part_in_the_port_clash_check()
    {
        using var project = new TempProject();
        project.Append("Pulumi.pc2.yaml", "  resilience:runtimePort: 9091\n");
        var e = Assert.Throws<ConfigException>(() => Graph("pc2", project.Dir));
        Assert.Contains("host port 9091", e.Message);
        Assert.Contains("resilience:runtimePort", e.Message);
    }

    [Fact]
    public void Local_images_publish_the_runtime_and_name_the_image_by_its_sources()
    {
        var g = Graph("pc2");
        var publish = Find(g, "dotnet:publish", "runtime");
        var hash = publish.Inputs["sourceHash"]!.GetValue<string>();
        Assert.StartsWith("sha256:", hash);
        Assert.Equal(Path.Combine(RepoPaths.Root, "runtime", "Resilience.Runtime"), publish.Inputs["project"]!.GetValue<string>());
        var tag = $"0.1.0-{hash[7..19]}";
        Assert.Equal(Path.Combine(RepoPaths.Root, "runtime", "Resilience.Runtime", "bin", "publish", tag), publish.Inputs["output"]!.GetValue<string>());

        var image = Find(g, "docker:image", "runtime");
        Assert.Equal($"resilience-pc2/runtime:{tag}", image.Inputs["name"]!.GetValue<string>());
        Assert.Contains(publish.Urn, image.DependsOn);
        var file = image.Inputs["build"]!["files"]![0]!;
        Assert.Equal(Path.Combine(publish.Inputs["output"]!.GetValue<string>(), "resilience-runtime"), file["from"]!.GetValue<string>());
        Assert.True(file["generated"]!.GetValue<bool>());
        Assert.Contains(image.Urn, Find(g, "docker:container", "runtime").DependsOn);
        Assert.Equal($"resilience-pc2/runtime:{tag}", Find(g, "docker:container", "runtime").Inputs["image"]!.GetValue<string>());
    }

    [Fact]
    public void Registry_images_pull_the_pinned_runtime_image_and_publish_nothing()
    {
        using var project = new TempProject();
        project.Append("Pulumi.pc2.yaml", "  resilience:imageSource: registry\n  resilience:runtimeImage: example/runtime:1.2.3\n");
        var g = Graph("pc2", project.Dir);
        Assert.Empty(g.OfType("dotnet:publish"));
        var image = Find(g, "docker:image", "runtime");
        Assert.Equal("registry", image.Inputs["source"]!.GetValue<string>());
        Assert.Equal("example/runtime:1.2.3", image.Inputs["name"]!.GetValue<string>());

        project.Replace("Pulumi.pc2.yaml", "example/runtime:1.2.3", "example/runtime:latest");
        Assert.Contains("is not pinned", Assert.Throws<ConfigException>(() => Graph("pc2", project.Dir)).Message);
    }

    [Fact]
    public void Without_a_nats_password_the_config_is_plain_with_one_it_is_a_0600_secret_carrying_the_credentials()
    {
        var plain = Find(Graph("pc2"), "file:file", ConfigFile);
        Assert.False(Secret.IsSecret(plain.Inputs["content"]));
        Assert.Equal("0644", plain.Inputs["mode"]!.GetValue<string>());
        Assert.DoesNotContain("@", Text(plain.Inputs["content"]).Split("nats:")[1].Split('\n')[1]);

        using var project = new TempProject();
        project.Append("Pulumi.pc2.yaml", "  resilience:natsPassword:\n    secure: v1:not-used-here\n");
        var g = Graph("pc2", project.Dir, decrypt: _ => "p@ss:w/rd");
        var secret = Find(g, "file:file", ConfigFile);
        Assert.True(Secret.IsSecret(secret.Inputs["content"]));
        Assert.Equal("0600", secret.Inputs["mode"]!.GetValue<string>());
        Assert.DoesNotContain("p@ss", secret.Inputs.ToJsonString());
        Assert.DoesNotContain("p@ss", Find(g, "docker:container", "runtime").Inputs.ToJsonString());
        var loaded = RuntimeConfigLoader.Parse(Text(secret.Inputs["content"]), "runtime.yaml");
        Assert.Equal(new NatsCredentials("resilience", "p@ss:w/rd"), loaded.Nats!.Credentials);
        Assert.Empty(loaded.Nats.Url.UserInfo);
    }

    [Fact]
    public void A_changed_config_restarts_the_same_container_and_a_changed_source_makes_a_new_image()
    {
        using var project = new TempProject();
        var before = Graph("pc2", project.Dir);
        project.Append("Pulumi.pc2.yaml", "  resilience:runtimeFailbackHold: 10s\n");
        var after = Graph("pc2", project.Dir);
        var (c1, c2) = (Find(before, "docker:container", "runtime"), Find(after, "docker:container", "runtime"));
        Assert.NotEqual(c1.Inputs["configHash"]!.ToJsonString(), c2.Inputs["configHash"]!.ToJsonString());
        Assert.Equal(c1.Inputs["image"]!.ToJsonString(), c2.Inputs["image"]!.ToJsonString());
    }

    [Fact]
    public void The_source_hash_follows_the_sources_and_ignores_bin_and_obj()
    {
        var dir = Directory.CreateTempSubdirectory("resilience-sources-").FullName;
        try
        {
            var project = Path.Combine(dir, "Service");
            Directory.CreateDirectory(Path.Combine(project, "obj"));
            File.WriteAllText(Path.Combine(project, "Service.csproj"), "<Project />");
            File.WriteAllText(Path.Combine(project, "Program.cs"), "return 0;");
            var first = RuntimeSources.Hash(project);
            File.WriteAllText(Path.Combine(project, "obj", "noise.json"), "{}");
            Assert.Equal(first, RuntimeSources.Hash(project));
            File.WriteAllText(Path.Combine(project, "Program.cs"), "return 1;");
            var second = RuntimeSources.Hash(project);
            Assert.NotEqual(first, second);
            File.WriteAllText(Path.Combine(dir, "Directory.Build.props"), "<Project />");
            Assert.NotEqual(second, RuntimeSources.Hash(project));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_missing_runtime_project_is_a_config_error()
    {
        using var project = new TempProject();
        project.Append("Pulumi.pc2.yaml", "  resilience:runtimeProject: no/such/project\n");
        var e = Assert.Throws<ConfigException>(() => Graph("pc2", project.Dir));
        Assert.Contains("resilience:runtimeProject", e.Message);
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public void Migrated_agents_push_to_their_machines_runtime_and_keep_the_seeds_hub_fields()
    {
        var pilot = Text(Find(Graph("pc2"), "file:file", "agents/observability_hub.yaml").Inputs["content"]);
        Assert.Contains("push_target: \"http://127.0.0.3:9095/metrics/job/ObservabilityHub\"", pilot);
        Assert.Contains("status_url: \"http://127.0.0.3:9095/status\"", pilot);
        Assert.Contains("decision_kv: \"resilience-failover/pc2\"", pilot);
        Assert.Contains("primary: \"http://127.0.0.3:9100\"", pilot);
        Assert.Contains("fallback: \"http://127.0.0.2:9000\"", pilot);
    }

    [Fact]
    public void Bridge_mode_reaches_the_local_tiers_by_container_name_and_publishes_the_port()
    {
        using var project = new TempProject();
        project.Append("Pulumi.pc2.yaml", "  resilience:network: bridge\n");
        var g = Graph("pc2", project.Dir);
        var config = Loaded(g);
        Assert.Equal(new Uri("http://0.0.0.0:9095"), config.Listen);
        Assert.Equal(["http://pc2-edgehub:9090/", "http://127.0.0.2:9000/", "http://pc2-pushgateway:9091/"], config.Tiers.Select(t => t.Url.ToString()));
        Assert.Equal(new Uri("nats://pc2-nats:4222"), config.Nats!.Url);
        var port = Find(g, "docker:container", "runtime").Inputs["ports"]!.AsArray().Single()!;
        Assert.Equal(9095, port["host"]!.GetValue<int>());
        Assert.Equal("127.0.0.3", port["hostIp"]!.GetValue<string>());
    }
}
