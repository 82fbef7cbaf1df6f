namespace Resilience.IntegrationTests.Docker;

[Collection(DockerCollection.Name)]
public sealed class PushgatewayContainerTests(DockerImagesFixture fixture, ITestOutputHelper output)
{
    private static readonly string Address = $"{LoopbackAddresses.For("docker-pushgateway")}:19093";

    private static Resource Container(string configHash) => DockerTestResources.Resource("docker:container", "pushgateway", new JsonObject
    {
        ["name"] = "itest-docker-pushgateway",
        ["image"] = DockerTestResources.PushgatewayImage,
        ["networkMode"] = "host",
        ["command"] = new JsonArray($"--web.listen-address={Address}", "--persistence.file=/data/metrics", "--persistence.interval=5m"),
        ["mounts"] = new JsonArray(new JsonObject { ["type"] = "volume", ["source"] = "itest-docker-pushgateway-data", ["target"] = "/data" }),
        ["restart"] = "unless-stopped",
        ["user"] = "65534:65534",
        ["ready"] = new JsonObject { ["url"] = $"http://{Address}/-/ready", ["timeoutSeconds"] = 30 },
        ["reload"] = new JsonObject { ["kind"] = "restart" },
        ["configHash"] = configHash,
    });

    [Fact]
    public async Task Pushgateway_reload_restarts_the_same_container_and_keeps_pushed_metrics()
    {
        var provider = fixture.Provider;
        var volume = DockerTestResources.Volume("itest-docker-pushgateway-data");
        var volumeOutputs = await provider.CreateAsync(volume, CancellationToken.None);
        var desired = Container("sha256:one");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var outputs = await provider.CreateAsync(desired, CancellationToken.None);
        output.WriteLine($"pushgateway create-start-to-ready: {clock.Elapsed.TotalSeconds:0.00} s");
        var id = outputs["id"]!.GetValue<string>();
        var startedBefore = (await fixture.Docker.Containers.InspectContainerAsync(id)).State.StartedAt;

        using var push = await fixture.Http.PostAsync($"http://{Address}/metrics/job/itest", new StringContent("itest_pushed 42\n", Encoding.UTF8, "text/plain"));
        Assert.Equal(200, (int)push.StatusCode);

        var recorded = DockerTestResources.StateOf(desired, outputs);
        var changed = Container("sha256:two");
        var diff = provider.Diff(recorded, provider.Check(changed));
        Assert.Equal(DiffKind.Reload, diff.Kind);
        clock.Restart();
        var updated = await provider.UpdateAsync(recorded, changed, diff, CancellationToken.None);
        output.WriteLine($"pushgateway restart reload to ready: {clock.Elapsed.TotalSeconds:0.00} s");

        Assert.Equal(id, updated["id"]!.GetValue<string>());
        Assert.NotEqual(startedBefore, (await fixture.Docker.Containers.InspectContainerAsync(id)).State.StartedAt);
        // A graceful stop writes the persistence file: the push survives the restart.
        Assert.Contains("itest_pushed{instance=\"\",job=\"itest\"} 42", await fixture.Http.GetStringAsync($"http://{Address}/metrics"));

        await provider.DeleteAsync(DockerTestResources.StateOf(changed, updated), CancellationToken.None);
        await provider.DeleteAsync(DockerTestResources.StateOf(volume, volumeOutputs), CancellationToken.None);
    }
}
