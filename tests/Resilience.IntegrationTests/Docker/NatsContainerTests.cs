using Docker.DotNet.Models;
using Resilience.Providers.Docker;
using Secret = Resilience.Model.Secret;

namespace Resilience.IntegrationTests.Docker;

[Collection(DockerCollection.Name)]
public sealed class NatsContainerTests(DockerImagesFixture fixture)
{
    private static readonly string Address = LoopbackAddresses.For("docker-nats");
    private static readonly string Monitor = $"http://{Address}:19092";

    private static string Config(int maxPayload) => $$"""
        server_name: itest
        listen: {{Address}}:19091
        http: {{Address}}:19092
        max_payload: {{maxPayload}}
        jetstream { store_dir: "/data" }
        """;

    private static Resource Container(string configDir, string configHash) => DockerTestResources.Resource("docker:container", "nats", new JsonObject
    {
        ["name"] = "itest-docker-nats",
        ["image"] = DockerTestResources.NatsImage,
        ["networkMode"] = "host",
        ["command"] = new JsonArray("-c", "/etc/nats/nats.conf"),
        ["env"] = new JsonObject { ["NATS_TOKEN"] = Secret.Wrap("s3cret-token"), ["MODE"] = "itest" },
        ["mounts"] = new JsonArray(new JsonObject { ["type"] = "bind", ["source"] = configDir, ["target"] = "/etc/nats", ["readOnly"] = true }),
        ["restart"] = "unless-stopped",
        ["ready"] = new JsonObject { ["url"] = $"{Monitor}/healthz", ["timeoutSeconds"] = 30 },
        ["reload"] = new JsonObject { ["kind"] = "signal", ["signal"] = "SIGHUP" },
        ["configHash"] = configHash,
    });

    [Fact]
    public async Task Nats_reloads_on_sighup_is_adopted_and_shows_drift_when_stopped_or_removed()
    {
        var provider = fixture.Provider;
        var configDir = DockerTestResources.ConfigDirectory("nats.conf", Config(1048576));
        try
        {
            var desired = Container(configDir, DockerTestResources.HashOf(Config(1048576)));
            var outputs = await provider.CreateAsync(desired, CancellationToken.None);
            var id = outputs["id"]!.GetValue<string>();
            Assert.Equal(1048576, (await Varz())["max_payload"]!.GetValue<int>());

            // Secrets go through env, never arguments; read back they stay wrapped, so no drift and no leak.
            var live = await fixture.Docker.Containers.InspectContainerAsync(id);
            Assert.Contains("NATS_TOKEN=s3cret-token", live.Config.Env);
            Assert.DoesNotContain(live.Args, a => a.Contains("s3cret", StringComparison.Ordinal));
            var recorded = DockerTestResources.StateOf(desired, outputs);
            var read = await provider.ReadAsync(recorded, CancellationToken.None);
            Assert.Empty(InputDiff.ChangedKeys(recorded.Inputs, read!.Inputs));
            Assert.True(Secret.IsSecret(read.Inputs["env"]!["NATS_TOKEN"]));

            // Create again: the running container with our urn is adopted, not recreated.
            Assert.Equal(id, (await provider.CreateAsync(desired, CancellationToken.None))["id"]!.GetValue<string>());

            DockerTestResources.WriteConfig(configDir, "nats.conf", Config(2097152));
            var changed = Container(configDir, DockerTestResources.HashOf(Config(2097152)));
            var diff = provider.Diff(recorded, provider.Check(changed));
            Assert.Equal(DiffKind.Reload, diff.Kind);
            var updated = await provider.UpdateAsync(recorded, changed, diff, CancellationToken.None);
            Assert.Equal(id, updated["id"]!.GetValue<string>());
            await Eventually(async () => (await Varz())["max_payload"]!.GetValue<int>() == 2097152);
            recorded = DockerTestResources.StateOf(changed, updated);

            // Stopped behind the tool's back: drift that an update heals in place (the same container started again).
            await fixture.Docker.Containers.StopContainerAsync(id, new ContainerStopParameters { WaitBeforeKillSeconds = 5 });
            var stopped = await provider.ReadAsync(recorded, CancellationToken.None);
            Assert.NotNull(stopped);
            Assert.False(stopped.Inputs["health"]!["running"]!.GetValue<bool>());
            Assert.False(stopped.Inputs["health"]!["ready"]!.GetValue<bool>());
            Assert.False(stopped.Outputs["running"]!.GetValue<bool>());
            Assert.Contains(stopped.Detail, line => line.Contains("exited", StringComparison.Ordinal));
            var repair = provider.Diff(recorded with { Inputs = stopped.Inputs }, provider.Check(changed));
            Assert.Equal(DiffKind.Update, repair.Kind);
            Assert.Equal(["health"], repair.Keys);
            var repaired = await provider.UpdateAsync(recorded with { Inputs = stopped.Inputs }, changed, repair, CancellationToken.None);
            Assert.Equal(id, repaired["id"]!.GetValue<string>());
            Assert.True(repaired["running"]!.GetValue<bool>());
            Assert.Null((await provider.ReadAsync(recorded, CancellationToken.None))!.Inputs["health"]);

            // Removed behind the tool's back: gone.
            await fixture.Docker.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true });
            Assert.Null(await provider.ReadAsync(recorded, CancellationToken.None));
            await provider.DeleteAsync(recorded, CancellationToken.None);
        }
        finally
        {
            Directory.Delete(configDir, recursive: true);
        }
    }

    [Fact]
    public async Task A_name_taken_by_an_object_without_our_labels_is_a_clear_error()
    {
        const string name = "itest-docker-clash";
        await fixture.Docker.Volumes.CreateAsync(new VolumesCreateParameters { Name = name });
        var foreign = await fixture.Docker.Containers.CreateContainerAsync(new CreateContainerParameters { Name = name, Image = DockerTestResources.NatsImage });
        try
        {
            var volumeError = await Assert.ThrowsAsync<InvalidOperationException>(() => fixture.Provider.CreateAsync(DockerTestResources.Volume(name), CancellationToken.None));
            Assert.Contains($"volume '{name}'", volumeError.Message);
            Assert.Contains("no resilience labels", volumeError.Message);

            var container = Container("/tmp", "sha256:x");
            container = container with { Inputs = new JsonObject { ["name"] = name, ["image"] = DockerTestResources.NatsImage } };
            var containerError = await Assert.ThrowsAsync<InvalidOperationException>(() => fixture.Provider.CreateAsync(container, CancellationToken.None));
            Assert.Contains($"container '{name}'", containerError.Message);

            // The foreign objects were not touched.
            Assert.Equal(foreign.ID, (await fixture.Docker.Containers.InspectContainerAsync(name)).ID);
        }
        finally
        {
            await fixture.Docker.Containers.RemoveContainerAsync(foreign.ID, new ContainerRemoveParameters { Force = true });
            await fixture.Docker.Volumes.RemoveAsync(name, false);
        }
    }

    [Fact]
    public async Task Networks_are_created_adopted_and_deleted_idempotently()
    {
        var network = DockerTestResources.Resource("docker:network", "net", new JsonObject { ["name"] = "itest-docker-net", ["driver"] = "bridge" });
        var outputs = await fixture.Provider.CreateAsync(network, CancellationToken.None);
        Assert.Equal(outputs["id"]!.GetValue<string>(), (await fixture.Provider.CreateAsync(network, CancellationToken.None))["id"]!.GetValue<string>());
        var state = DockerTestResources.StateOf(network, outputs);
        var read = await fixture.Provider.ReadAsync(state, CancellationToken.None);
        Assert.Empty(InputDiff.ChangedKeys(state.Inputs, read!.Inputs));
        await fixture.Provider.DeleteAsync(state, CancellationToken.None);
        Assert.Null(await fixture.Provider.ReadAsync(state, CancellationToken.None));
        await fixture.Provider.DeleteAsync(state, CancellationToken.None);
    }

    private async Task<JsonNode> Varz() => JsonNode.Parse(await fixture.Http.GetStringAsync($"{Monitor}/varz"))!;

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 50; i++)
        {
            if (await condition()) return;
            await Task.Delay(100);
        }
        Assert.Fail("condition not met within 5 s");
    }
}
