using Resilience.Providers.Docker;

namespace Resilience.IntegrationTests.Docker;

[Collection(DockerCollection.Name)]
public sealed class ImageTests(DockerImagesFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Local_images_are_built_labelled_and_adopted_when_unchanged()
    {
        foreach (var m in fixture.Measurements)
        {
            output.WriteLine($"built {m.Name}: {m.BuildTime.TotalSeconds:0.00} s, {m.SizeBytes / 1e6:0.0} MB");
        }
        Assert.Equal(3, fixture.Measurements.Count);

        foreach (var name in new[] { "prometheus", "pushgateway", "nats-server" })
        {
            var (resource, outputs) = fixture.Images[name];
            var image = await fixture.Docker.Images.InspectImageAsync(resource.Inputs["name"]!.GetValue<string>());
            Assert.Equal(resource.Urn, image.Config.Labels[ObjectLabels.Urn]);
            Assert.Equal(DockerTestResources.Stack, image.Config.Labels[ObjectLabels.Stack]);
            Assert.Equal(outputs["contentHash"]!.GetValue<string>(), image.Config.Labels[ObjectLabels.ContentHash]);
            Assert.Equal(resource.Inputs["build"]!["entrypoint"]![0]!.GetValue<string>(), image.Config.Entrypoint[0]);

            var state = fixture.ImageState(name);
            Assert.Equal(DiffKind.Same, fixture.Provider.Diff(state, fixture.Provider.Check(resource)).Kind);
            var read = await fixture.Provider.ReadAsync(state, CancellationToken.None);
            Assert.NotNull(read);
            Assert.Equal(outputs["contentHash"]!.GetValue<string>(), read.Outputs["contentHash"]!.GetValue<string>());

            var clock = Stopwatch.StartNew();
            var again = await fixture.Provider.CreateAsync(resource, CancellationToken.None);
            output.WriteLine($"adopting {name} unchanged: {clock.Elapsed.TotalMilliseconds:0} ms");
            Assert.Equal(outputs["id"]!.GetValue<string>(), again["id"]!.GetValue<string>());
        }

        var prometheus = await fixture.Docker.Images.InspectImageAsync(DockerTestResources.PrometheusImage);
        Assert.Equal("65534:65534", prometheus.Config.User);
        Assert.Equal(["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"], prometheus.Config.Cmd);
    }

    [Fact]
    public void Registry_image_with_latest_tag_is_rejected_by_check()
    {
        var resource = DockerTestResources.Resource("docker:image", "upstream", new() { ["name"] = "prom/prometheus:latest", ["source"] = "registry" });
        var problem = Assert.Single(fixture.Provider.Check(resource).Failures).ToString();
        Assert.Contains("latest", problem);
    }
}
