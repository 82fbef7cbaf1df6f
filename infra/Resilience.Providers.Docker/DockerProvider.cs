using Resilience.Contracts;
using Resilience.Providers.Docker.Containers;
using Resilience.Providers.Docker.Images;
using Resilience.Providers.Docker.Networks;
using Resilience.Providers.Docker.Volumes;

namespace Resilience.Providers.Docker;

/// <summary>
/// The "docker" family: docker:image, docker:network, docker:volume, docker:container on one Docker engine.
/// Every object it makes carries the labels resilience.stack and resilience.urn; objects without them are never touched.
/// </summary>
public sealed class DockerProvider : IProvider, IDisposable
{
    private readonly DockerClient _docker;
    private readonly HttpClient _http;
    private readonly ProbeHttp _probeHttp;
    private readonly bool _ownsClients;
    private readonly IReadOnlyDictionary<string, IResourceHandler> _handlers;
    private readonly DockerEngineCheck _engine;

    /// <summary>Talks to the engine at <see cref="DockerEndpoint.Resolve"/>.</summary>
    public DockerProvider()
        : this(DockerEndpoint.CreateClient(), new HttpClient(), ownsClients: true)
    {
    }

    /// <param name="hashes">Content hashes of image files, cached on disk (default: the user's cache folder).</param>
    /// <param name="libraries">What finds the shared libraries of a binary (default: ldd).</param>
    public DockerProvider(DockerClient docker, HttpClient http, FileHashCache? hashes = null, ISharedLibraryResolver? libraries = null)
        : this(docker, http, ownsClients: false, hashes, libraries)
    {
    }

    private DockerProvider(DockerClient docker, HttpClient http, bool ownsClients, FileHashCache? hashes = null, ISharedLibraryResolver? libraries = null)
    {
        _docker = docker;
        _http = http;
        _probeHttp = new ProbeHttp(http);
        _ownsClients = ownsClients;
        _engine = new DockerEngineCheck(docker);
        _handlers = new Dictionary<string, IResourceHandler>(StringComparer.Ordinal)
        {
            [ResourceTypes.TypeOf<ImageInputs>()] = new ImageHandler(docker, libraries ?? new LddResolver(), new ContentHasher(hashes ?? FileHashCache.Default())),
            [ResourceTypes.TypeOf<NetworkInputs>()] = new NetworkHandler(docker),
            [ResourceTypes.TypeOf<VolumeInputs>()] = new VolumeHandler(docker),
            [ResourceTypes.TypeOf<ContainerInputs>()] = new ContainerHandler(docker, _probeHttp),
        };
    }

    public string Family => "docker";

    /// <summary>A volume holds a hub's TSDB, a Pushgateway's file or JetStream's store.</summary>
    public bool HoldsData(string type) => _handlers.ContainsKey(type) && ResourceTypes.HoldsData(type);

    public CheckResult Check(Resource desired) =>
        _handlers.TryGetValue(desired.Type, out var handler)
            ? handler.Check(desired)
            : CheckResult.Failed(desired, new CheckFailure("", $"unknown resource type '{desired.Type}' (docker serves {string.Join(", ", _handlers.Keys)})"));

    public DiffResult Diff(ResourceState recorded, CheckResult desired) => HandlerFor(desired.Desired.Type).Diff(recorded, desired);

    public Task<JsonObject> CreateAsync(Resource desired, CancellationToken ct) =>
        _engine.GuardAsync(() => HandlerFor(desired.Type).CreateAsync(desired, ct), ct);

    public Task<ReadResult?> ReadAsync(ResourceState recorded, CancellationToken ct) =>
        _engine.GuardAsync(() => HandlerFor(recorded.Type).ReadAsync(recorded, ct), ct);

    public Task<JsonObject> UpdateAsync(ResourceState recorded, Resource desired, DiffResult diff, CancellationToken ct) =>
        _engine.GuardAsync(() => HandlerFor(desired.Type).UpdateAsync(recorded, desired, diff, ct), ct);

    public Task DeleteAsync(ResourceState recorded, CancellationToken ct) =>
        _engine.GuardAsync(() => HandlerFor(recorded.Type).DeleteAsync(recorded, ct), ct);

    public void Dispose()
    {
        _probeHttp.Dispose();
        if (!_ownsClients) return;
        _docker.Dispose();
        _http.Dispose();
    }

    private IResourceHandler HandlerFor(string type) =>
        _handlers.TryGetValue(type, out var handler) ? handler : throw new ArgumentException($"docker provider does not serve '{type}'", nameof(type));
}
