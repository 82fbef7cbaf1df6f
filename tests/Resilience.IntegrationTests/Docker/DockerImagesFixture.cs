using Docker.DotNet;
using Resilience.Providers.Docker;

namespace Resilience.IntegrationTests.Docker;

public sealed record ImageMeasurement(string Name, TimeSpan BuildTime, long SizeBytes);

/// <summary>Builds the three local images once for all docker tests, timing each; removes the whole test stack at the end.</summary>
public sealed class DockerImagesFixture : IAsyncLifetime
{
    public DockerClient Docker { get; } = DockerEndpoint.CreateClient();
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };
    public DockerProvider Provider { get; private set; } = null!;
    public List<ImageMeasurement> Measurements { get; } = [];
    public Dictionary<string, (Resource Resource, JsonObject Outputs)> Images { get; } = [];

    public async Task InitializeAsync()
    {
        Provider = new DockerProvider(Docker, Http);
        await DockerStackCleanup.RemoveAllAsync(Docker, DockerTestResources.Stack); // leftovers of an aborted run
        foreach (var image in new[] { DockerTestResources.PrometheusImageResource(), DockerTestResources.PushgatewayImageResource(), DockerTestResources.NatsImageResource() })
        {
            var clock = Stopwatch.StartNew();
            var outputs = await Provider.CreateAsync(image, CancellationToken.None);
            Measurements.Add(new ImageMeasurement(image.Inputs["name"]!.GetValue<string>(), clock.Elapsed, outputs["sizeBytes"]!.GetValue<long>()));
            Images[image.Name] = (image, outputs);
        }
    }

    public ResourceState ImageState(string name) => DockerTestResources.StateOf(Images[name].Resource, Images[name].Outputs);

    public async Task DisposeAsync()
    {
        await DockerStackCleanup.RemoveAllAsync(Docker, DockerTestResources.Stack);
        Provider.Dispose();
        Http.Dispose();
        Docker.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class DockerCollection : ICollectionFixture<DockerImagesFixture>
{
    public const string Name = "docker";
}
