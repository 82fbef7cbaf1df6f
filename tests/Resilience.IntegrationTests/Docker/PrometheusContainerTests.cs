using Resilience.Providers.Docker;

namespace Resilience.IntegrationTests.Docker;

[Collection(DockerCollection.Name)]
public sealed class PrometheusContainerTests(DockerImagesFixture fixture, ITestOutputHelper output)
{
    private static readonly string Host = LoopbackAddresses.For("docker-prometheus");
    private static readonly string Address = $"{Host}:19090";

    private static string Config(string marker) => $"""
        global:
          scrape_interval: 15s
          external_labels:
            itest: {marker}
        scrape_configs:
          - job_name: self
            static_configs:
              - targets: ["{Address}"]
        """;

    private static Resource Container(string configDir, string configHash) => DockerTestResources.Resource("docker:container", "prometheus", new JsonObject
    {
        ["name"] = "itest-docker-prometheus",
        ["image"] = DockerTestResources.PrometheusImage,
        ["networkMode"] = "host",
        ["command"] = new JsonArray(
            "--config.file=/etc/prometheus/prometheus.yml",
            "--storage.tsdb.path=/prometheus",
            $"--web.listen-address={Address}",
            "--web.enable-lifecycle",
            "--web.local-assets=/usr/share/prometheus/web"),
        ["ports"] = new JsonArray(new JsonObject { ["host"] = 19090, ["container"] = 19090, ["hostIp"] = Host }),
        ["mounts"] = new JsonArray(
            new JsonObject { ["type"] = "bind", ["source"] = configDir, ["target"] = "/etc/prometheus", ["readOnly"] = true },
            new JsonObject { ["type"] = "volume", ["source"] = "itest-docker-prometheus-data", ["target"] = "/prometheus" }),
        ["restart"] = "unless-stopped",
        ["ready"] = new JsonObject { ["url"] = $"http://{Address}/-/ready", ["timeoutSeconds"] = 30 },
        ["reload"] = new JsonObject { ["kind"] = "http", ["url"] = $"http://{Address}/-/reload" },
        ["configHash"] = configHash,
        ["labels"] = new JsonObject { ["role"] = "hub" },
    });

    [Fact]
    public async Task Host_network_prometheus_becomes_ready_reloads_over_http_and_reads_back_without_drift()
    {
        var provider = fixture.Provider;
        var configDir = DockerTestResources.ConfigDirectory("prometheus.yml", Config("v1"));
        var volume = DockerTestResources.Volume("itest-docker-prometheus-data");
        var volumeOutputs = await provider.CreateAsync(volume, CancellationToken.None);
        try
        {
            var desired = Container(configDir, DockerTestResources.HashOf(Config("v1")));
            Assert.Empty(provider.Check(desired).Failures);
            var clock = Stopwatch.StartNew();
            var outputs = await provider.CreateAsync(desired, CancellationToken.None);
            output.WriteLine($"prometheus create-start-to-ready: {clock.Elapsed.TotalSeconds:0.00} s");
            var id = outputs["id"]!.GetValue<string>();

            // Reached from the host on the container's own loopback address: host networking works here.
            Assert.Contains("itest: v1", await ConfigServed());
            var recorded = DockerTestResources.StateOf(desired, outputs);
            var read = await provider.ReadAsync(recorded, CancellationToken.None);
            Assert.NotNull(read);
            Assert.Empty(InputDiff.ChangedKeys(recorded.Inputs, read.Inputs));

            DockerTestResources.WriteConfig(configDir, "prometheus.yml", Config("v2"));
            var changed = Container(configDir, DockerTestResources.HashOf(Config("v2")));
            var diff = provider.Diff(recorded, provider.Check(changed));
            Assert.Equal(DiffKind.Reload, diff.Kind);
            clock.Restart();
            var updated = await provider.UpdateAsync(recorded, changed, diff, CancellationToken.None);
            output.WriteLine($"prometheus http reload: {clock.Elapsed.TotalMilliseconds:0} ms");
            Assert.Equal(id, updated["id"]!.GetValue<string>());
            Assert.Contains("itest: v2", await ConfigServed());

            var afterReload = DockerTestResources.StateOf(changed, updated);
            await provider.DeleteAsync(afterReload, CancellationToken.None);
            Assert.Null(await provider.ReadAsync(afterReload, CancellationToken.None));
            await provider.DeleteAsync(afterReload, CancellationToken.None); // already gone: still fine

            // The volume outlives its container and goes only with its own resource.
            var volumeState = DockerTestResources.StateOf(volume, volumeOutputs);
            Assert.NotNull(await provider.ReadAsync(volumeState, CancellationToken.None));
            await provider.DeleteAsync(volumeState, CancellationToken.None);
            Assert.Null(await provider.ReadAsync(volumeState, CancellationToken.None));
        }
        finally
        {
            Directory.Delete(configDir, recursive: true);
        }
    }

    private async Task<string> ConfigServed()
    {
        var body = await fixture.Http.GetStringAsync($"http://{Address}/api/v1/status/config");
        return JsonNode.Parse(body)!["data"]!["yaml"]!.GetValue<string>();
    }
}
