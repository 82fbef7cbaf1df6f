using NATS.Net;
using YamlDotNet.RepresentationModel;

namespace Resilience.IntegrationTests.Pulumi;

/// <summary>
/// The command lines and environments that the emitted Pulumi program gives its command:local:Command resources,
/// run for real against a real nats-server: the Pulumi path's JetStream handling, verified without Pulumi.
/// </summary>
public sealed class PulumiCommandLinesTests : IAsyncLifetime
{
    private static readonly string Address = LoopbackAddresses.For("pulumi-command-lines");
    private const int Port = 14281;
    private readonly TempDir _store = new("resilience-pulumi-js-");
    private ServerProcess? _server;

    public async Task InitializeAsync()
    {
        _server = Servers.Nats(_store.Path, Address, Port);
        await _server.StartAsync();
    }

    private sealed record CommandResource(string Create, string Update, string Delete, Dictionary<string, string> Environment);

    /// <summary>Compiles the pc2 stack as Pulumi would run us, with PC2's NATS moved to the test server.</summary>
    private static Dictionary<string, CommandResource> Compile(string metricsMaxAge = "24h")
    {
        var config = new JsonObject
        {
            ["resilience:pc2Address"] = Address,
            ["resilience:pc2NatsPort"] = Port.ToString(),
            ["resilience:metricsMaxAge"] = metricsMaxAge,
        };
        var result = CliRunner.Run(RepoPaths.Root, new Dictionary<string, string>
        {
            ["PULUMI_STACK"] = "pc2",
            ["PULUMI_PROJECT"] = "resilience",
            ["PULUMI_CONFIG"] = config.ToJsonString(),
        }, "pulumi-yaml");
        Assert.True(result.ExitCode == 0, result.ToString());
        var yaml = new YamlStream();
        yaml.Load(new StringReader(result.Stdout));
        var resources = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["resources"];
        var commands = new Dictionary<string, CommandResource>();
        foreach (var (key, value) in resources.Children)
        {
            var resource = (YamlMappingNode)value;
            if (((YamlScalarNode)resource["type"]).Value != "command:local:Command") continue;
            var props = (YamlMappingNode)resource["properties"];
            var create = ((YamlScalarNode)props["create"]).Value!;
            if (!create.Contains("jetstream", StringComparison.Ordinal)) continue;
            var env = ((YamlMappingNode)props["environment"]).Children.ToDictionary(
                p => ((YamlScalarNode)p.Key).Value!, p => ((YamlScalarNode)p.Value).Value!.Replace("$$", "$", StringComparison.Ordinal));
            commands[((YamlScalarNode)key).Value!] = new CommandResource(create, ((YamlScalarNode)props["update"]).Value!, ((YamlScalarNode)props["delete"]).Value!, env);
        }
        return commands;
    }

    /// <summary>Runs a command line of the program the way command:local does, with our launcher replaced by the built CLI.</summary>
    private static CliRunner.Result Execute(string commandLine, Dictionary<string, string> env)
    {
        const string launcher = "./resilience ";
        Assert.StartsWith(launcher, commandLine);
        return CliRunner.Run(RepoPaths.Root, env, commandLine[launcher.Length..].Split(' '));
    }

    [Fact]
    public async Task Create_rerun_update_and_delete_work_against_a_real_server()
    {
        var first = Compile();
        var streams = first.Where(c => c.Key.StartsWith("stream-", StringComparison.Ordinal)).ToList();
        var consumers = first.Where(c => c.Key.StartsWith("consumer-", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, streams.Count); // three own, MainPC's alerts and health sourced back
        Assert.Equal(3, consumers.Count);
        foreach (var (_, c) in streams.Concat(consumers))
        {
            var created = Execute(c.Create, c.Environment);
            Assert.True(created.ExitCode == 0, created.ToString());
            Assert.Contains("created", created.Stderr);
            Assert.DoesNotContain("RESILIENCE_SPEC", c.Create); // the spec travels in the environment only
        }

        await using var nats = new NatsClient($"nats://{Address}:{Port}");
        var js = nats.CreateJetStreamContext();
        var metrics = await js.GetStreamAsync("observability-metrics");
        Assert.Equal(TimeSpan.FromHours(24), metrics.Info.Config.MaxAge);
        Assert.NotNull(await js.GetConsumerAsync("observability-metrics", "observability-metrics-edgehub"));

        var again = Execute(streams[0].Value.Create, streams[0].Value.Environment);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("unchanged", again.Stderr);

        var changed = Compile(metricsMaxAge: "12h")["stream-observability-metrics"];
        var updated = Execute(changed.Update, changed.Environment);
        Assert.True(updated.ExitCode == 0, updated.ToString());
        Assert.Contains("updated", updated.Stderr);
        metrics = await js.GetStreamAsync("observability-metrics");
        Assert.Equal(TimeSpan.FromHours(12), metrics.Info.Config.MaxAge);

        foreach (var (_, c) in consumers.Concat(streams))
        {
            var deleted = Execute(c.Delete, c.Environment);
            Assert.True(deleted.ExitCode == 0, deleted.ToString());
        }
        var gone = Execute(streams[0].Value.Delete, streams[0].Value.Environment);
        Assert.True(gone.ExitCode == 0, gone.ToString());
        Assert.Contains("already gone", gone.Stderr);
        await Assert.ThrowsAsync<NatsJSApiException>(() => js.GetStreamAsync("observability-metrics").AsTask());
    }

    [Fact]
    public void Host_file_commands_write_atomically_and_delete()
    {
        var dir = Directory.CreateTempSubdirectory("resilience-hostfile-").FullName;
        try
        {
            var path = Path.Combine(dir, "sub", "prometheus.yml");
            var env = new Dictionary<string, string>
            {
                ["RESILIENCE_FILE_PATH"] = path,
                ["RESILIENCE_FILE_MODE"] = "0600",
                ["RESILIENCE_FILE_CONTENT"] = "global: {}\n",
            };
            var write = CliRunner.Run(RepoPaths.Root, env, "host-file", "write");
            Assert.True(write.ExitCode == 0, write.ToString());
            Assert.Equal("global: {}\n", File.ReadAllText(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            var delete = CliRunner.Run(RepoPaths.Root, env, "host-file", "delete");
            Assert.True(delete.ExitCode == 0, delete.ToString());
            Assert.False(File.Exists(path));
            var missing = CliRunner.Run(RepoPaths.Root, new Dictionary<string, string>(), "host-file", "write");
            Assert.Equal(2, missing.ExitCode);
            Assert.Contains("RESILIENCE_FILE_PATH", missing.Stderr);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    public Task DisposeAsync()
    {
        _server?.Dispose();
        _store.Dispose();
        return Task.CompletedTask;
    }
}
