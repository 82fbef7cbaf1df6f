using System.Text.Json.Nodes;
using Resilience.Engine.Providers;
using Resilience.Model;
using Resilience.Providers.Docker;
using Resilience.Providers.Docker.Images;

namespace Resilience.Tests.Docker;

public sealed class DockerCheckAndDiffTests : IDisposable
{
    // Constructing the client opens no connection: Check and Diff never talk to Docker.
    private readonly DockerProvider _provider = new();

    public void Dispose() => _provider.Dispose();

    /// <summary>Check's failures as text, and Diff of what Check made of the desired resource.</summary>
    private IReadOnlyList<string> Problems(Resource desired) => _provider.Check(desired).Failures.Select(f => $"{f.Property} {f.Reason}").ToList();

    private DiffResult DiffOf(ResourceState recorded, Resource desired) => _provider.Diff(recorded, _provider.Check(desired));

    private static Resource Make(string type, JsonObject inputs) => new() { Stack = "s", Type = type, Name = "n", Inputs = inputs };

    private static ResourceState StateOf(Resource r, JsonObject? outputs = null) =>
        new() { Urn = r.Urn, Type = r.Type, Name = r.Name, Inputs = r.Inputs.DeepClone().AsObject(), Outputs = outputs ?? new JsonObject() };

    private static JsonObject Container(string configHash = "sha256:a", string image = "resilience/prometheus:2.42.0", int timeout = 60) => new()
    {
        ["name"] = "pc2-edgehub",
        ["image"] = image,
        ["networkMode"] = "host",
        ["command"] = new JsonArray("--config.file=/etc/prometheus/prometheus.yml"),
        ["env"] = new JsonObject { ["TOKEN"] = Secret.Wrap("hunter2") },
        ["ready"] = new JsonObject { ["url"] = "http://127.0.0.3:9100/-/ready", ["timeoutSeconds"] = timeout },
        ["reload"] = new JsonObject { ["kind"] = "http", ["url"] = "http://127.0.0.3:9100/-/reload" },
        ["configHash"] = configHash,
    };

    [Theory]
    [InlineData("prom/prometheus:latest", "registry")]
    [InlineData("prom/prometheus", "registry")]
    [InlineData("resilience/prometheus", "local")]
    public void Check_rejects_unpinned_image_names(string name, string source)
    {
        var inputs = new JsonObject { ["name"] = name, ["source"] = source };
        if (source == "local") inputs["build"] = new JsonObject { ["files"] = new JsonArray(new JsonObject { ["from"] = "/etc/hostname", ["to"] = "/x" }), ["entrypoint"] = new JsonArray("/x") };
        Assert.Contains(Problems(Make("docker:image", inputs)), p => p.Contains("version tag", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_accepts_a_pinned_registry_image_and_reports_bad_build_inputs()
    {
        Assert.Empty(Problems(Make("docker:image", new JsonObject { ["name"] = "registry.local:5000/prom/prometheus:v2.42.0", ["source"] = "registry" })));
        var problems = Problems(Make("docker:image", new JsonObject
        {
            ["name"] = "resilience/x:1",
            ["build"] = new JsonObject
            {
                ["files"] = new JsonArray(new JsonObject { ["from"] = "/no/such/file", ["to"] = "/x" }),
                ["dirs"] = new JsonArray(new JsonObject { ["path"] = "/data", ["mode"] = "1797" }),
            },
        }));
        Assert.Contains(problems, p => p.Contains("build.files[0].from", StringComparison.Ordinal) && p.Contains("does not exist", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("build.dirs[0].mode", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("build.entrypoint is required", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_refuses_secrets_in_process_arguments_and_reserved_labels()
    {
        var inputs = Container();
        inputs["command"] = new JsonArray("--password", Secret.Wrap("hunter2"));
        inputs["labels"] = new JsonObject { ["resilience.urn"] = "mine" };
        inputs["restart"] = "sometimes";
        var problems = Problems(Make("docker:container", inputs));
        Assert.Contains(problems, p => p.Contains("command must not contain secrets", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("labels.resilience.urn", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("restart", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.Contains("hunter2", StringComparison.Ordinal));
        Assert.Empty(Problems(Make("docker:container", Container())));
    }

    [Fact]
    public void Check_names_an_unknown_type()
    {
        Assert.Contains("docker:swarm", Assert.Single(Problems(Make("docker:swarm", new JsonObject()))));
    }

    [Fact]
    public void Container_diff_reloads_for_config_updates_for_tool_keys_and_replaces_for_the_rest()
    {
        var recorded = StateOf(Make("docker:container", Container()));
        Assert.Equal(DiffKind.Same, DiffOf(recorded, Make("docker:container", Container())).Kind);

        var reload = DiffOf(recorded, Make("docker:container", Container(configHash: "sha256:b")));
        Assert.Equal(DiffKind.Reload, reload.Kind);
        Assert.Equal(["configHash"], reload.Keys);

        Assert.Equal(DiffKind.Update, DiffOf(recorded, Make("docker:container", Container(timeout: 90))).Kind);

        var replace = DiffOf(recorded, Make("docker:container", Container(configHash: "sha256:b", image: "resilience/prometheus:2.43.0")));
        Assert.Equal(DiffKind.Replace, replace.Kind);
        Assert.Equal(["image"], replace.Keys);

        var newSecret = Container();
        newSecret["env"] = new JsonObject { ["TOKEN"] = Secret.Wrap("changed") };
        Assert.Equal(["env"], DiffOf(recorded, Make("docker:container", newSecret)).Keys);

        // A refresh recorded it stopped (before health was read: "running"), or unhealthy: repaired in place.
        var stopped = recorded with { Inputs = Container() };
        stopped.Inputs["running"] = false;
        Assert.Equal(["running"], DiffOf(stopped, Make("docker:container", Container())).Keys);
        Assert.Equal(DiffKind.Update, DiffOf(stopped, Make("docker:container", Container())).Kind);
        var looping = recorded with { Inputs = Container() };
        looping.Inputs["health"] = new JsonObject { ["status"] = "restarting", ["running"] = false, ["restarts"] = 4, ["ready"] = false };
        Assert.Equal(DiffResult.Update("health").Keys, DiffOf(looping, Make("docker:container", Container())).Keys);
        var loopingAndChanged = DiffOf(looping, Make("docker:container", Container(configHash: "sha256:b")));
        Assert.Equal(DiffKind.Reload, loopingAndChanged.Kind);
        Assert.Equal(["configHash", "health"], loopingAndChanged.Keys);
        var loopingAndReplaced = DiffOf(looping, Make("docker:container", Container(image: "resilience/prometheus:2.43.0")));
        Assert.Equal(DiffKind.Replace, loopingAndReplaced.Kind);
        Assert.Equal(["image"], loopingAndReplaced.Keys);
    }

    [Fact]
    public void Volume_replace_says_it_loses_data_and_network_replace_does_not()
    {
        var volume = DiffOf(StateOf(Make("docker:volume", new JsonObject { ["name"] = "a" })), Make("docker:volume", new JsonObject { ["name"] = "b" }));
        Assert.Equal(DiffKind.Replace, volume.Kind);
        Assert.True(volume.DeletesData);
        var network = DiffOf(StateOf(Make("docker:network", new JsonObject { ["name"] = "a" })), Make("docker:network", new JsonObject { ["name"] = "a", ["driver"] = "macvlan" }));
        Assert.Equal(DiffKind.Replace, network.Kind);
        Assert.Equal(["driver"], network.Keys);
        Assert.False(network.DeletesData);
    }

    [Fact]
    public void Image_diff_replaces_when_file_content_changes_under_unchanged_inputs()
    {
        var dir = Directory.CreateTempSubdirectory("docker-unit-");
        try
        {
            var file = Path.Combine(dir.FullName, "payload.txt");
            File.WriteAllText(file, "v1");
            var image = Make("docker:image", new JsonObject
            {
                ["name"] = "resilience/payload:1",
                ["source"] = "local",
                ["build"] = new JsonObject
                {
                    ["files"] = new JsonArray(new JsonObject { ["from"] = file, ["to"] = "/payload.txt" }),
                    ["entrypoint"] = new JsonArray("/payload.txt"),
                },
            });
            Assert.Empty(Problems(image));
            var build = Resilience.Contracts.ContractJson.Read<Resilience.Contracts.Docker.ImageInputs>(image.Inputs).Valid.Build!;
            var hash = new ContentHasher(new FileHashCache(null)).Compute(build, RootfsPlan.For(build, new LddResolver()));
            var recorded = StateOf(image, new JsonObject { ["contentHash"] = hash });
            Assert.Equal(DiffKind.Same, DiffOf(recorded, image).Kind);

            File.WriteAllText(file, "v2"); // same inputs, new bytes: what a Debian upgrade does to a binary
            var diff = DiffOf(recorded, image);
            Assert.Equal(DiffKind.Replace, diff.Kind);
            Assert.Equal(["contentHash"], diff.Keys);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
