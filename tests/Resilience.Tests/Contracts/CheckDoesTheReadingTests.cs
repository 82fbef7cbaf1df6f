using System.Net;
using System.Text.Json.Nodes;
using Docker.DotNet;
using Resilience.Engine;
using Resilience.Engine.Providers;
using Resilience.Engine.State;
using Resilience.Model;
using Resilience.Providers.Docker;
using Resilience.Providers.Docker.Images;
using Resilience.Providers.Dotnet;
using Resilience.Providers.Files;
using Resilience.Providers.JetStream;

namespace Resilience.Tests.Contracts;

/// <summary>
/// Check reads the host (files, hashes, ldd); Diff only compares. Diff runs here on providers whose every way out is
/// cut: a Docker engine and HTTP that throw, a library resolver that throws, and the files the inputs name deleted.
/// </summary>
public sealed class CheckDoesTheReadingTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("check-reads-");

    public void Dispose()
    {
        if (_dir.Exists) _dir.Delete(recursive: true);
    }

    [Fact]
    public void Diff_of_every_provider_answers_with_the_file_system_and_network_unreachable()
    {
        var binary = WriteOld("payload.bin", "v1");
        var project = Directory.CreateDirectory(Path.Combine(_dir.FullName, "project")).FullName;
        var output = Directory.CreateDirectory(Path.Combine(_dir.FullName, "out")).FullName; // a current publish: Check sees it, Diff must not look again
        File.WriteAllText(Path.Combine(output, "b"), "binary");
        File.WriteAllText(Path.Combine(output, ".source-hash"), "sha256:1");
        var cases = new (Resource Recorded, Resource Desired, DiffKind Expected)[]
        {
            (Make("docker:image", ImageOf(binary, "img:1")), Make("docker:image", ImageOf(binary, "img:1")), DiffKind.Same),
            (Make("docker:image", ImageOf(binary, "img:1")), Make("docker:image", ImageOf(binary, "img:2")), DiffKind.Replace),
            (Make("docker:container", Container("sha256:a")), Make("docker:container", Container("sha256:b")), DiffKind.Reload),
            (Make("docker:volume", new JsonObject { ["name"] = "v" }), Make("docker:volume", new JsonObject { ["name"] = "w" }), DiffKind.Replace),
            (Make("docker:network", new JsonObject { ["name"] = "n" }), Make("docker:network", new JsonObject { ["name"] = "n" }), DiffKind.Same),
            (Make("file:file", FileOf("a")), Make("file:file", FileOf("b")), DiffKind.Update),
            (Make("jetstream:stream", Stream(1)), Make("jetstream:stream", Stream(3)), DiffKind.Replace),
            (Make("jetstream:consumer", Consumer("30s")), Make("jetstream:consumer", Consumer("60s")), DiffKind.Update),
            (Make("dotnet:publish", Publish(project, "sha256:1")), Make("dotnet:publish", Publish(project, "sha256:2")), DiffKind.Update),
            (Make("dotnet:publish", Publish(project, "sha256:1")), Make("dotnet:publish", Publish(project, "sha256:1")), DiffKind.Same),
        };

        using var open = new DockerProvider();
        var providers = new ProviderRegistry(open, new FileProvider(), new JetStreamProvider(), new DotnetProvider());
        var checkedCases = cases.Select(c =>
        {
            var provider = providers.For(c.Desired.Family);
            var check = provider.Check(c.Desired);
            Assert.True(check.Ok, $"{c.Desired.Type}: {string.Join("; ", check.Failures)}");
            var outputs = new JsonObject();
            if (check.Observed["contentHash"] is { } hash) outputs["contentHash"] = hash.DeepClone(); // as the create recorded it
            return (State: State(c.Recorded, outputs), Check: check, c.Expected);
        }).ToList();

        _dir.Delete(recursive: true); // every file the inputs name is gone
        using var handler = new UnreachableHandler();
        using var http = new HttpClient(handler);
        using var docker = new DockerClientConfiguration(new Uri("unix:///nonexistent/docker.sock")).CreateClient();
        using var guardedDocker = new DockerProvider(docker, http, new FileHashCache(null), new UnreachableLibraries());
        var guarded = new ProviderRegistry(guardedDocker, new FileProvider(), new JetStreamProvider(new JetStreamOperations(TimeSpan.FromMilliseconds(1))), new DotnetProvider());

        foreach (var (state, check, expected) in checkedCases)
        {
            var diff = guarded.For(check.Desired.Family).Diff(state, check);
            Assert.True(expected == diff.Kind, $"{check.Desired.Type}: expected {expected}, got {diff.Kind} ({string.Join(", ", diff.Keys)})");
        }
        Assert.Equal(0, handler.Calls);
    }

    [Fact]
    public async Task Two_previews_of_an_unchanged_stack_hash_each_binary_once_in_all()
    {
        var first = WriteOld("first.bin", "one");
        var second = WriteOld("second.bin", "two");
        var cacheFile = Path.Combine(_dir.FullName, "cache", "file-hashes.tsv");
        var build = new JsonObject
        {
            ["files"] = new JsonArray(new JsonObject { ["from"] = first, ["to"] = "/bin/first" }, new JsonObject { ["from"] = second, ["to"] = "/bin/second" }),
            ["entrypoint"] = new JsonArray("/bin/first"),
        };
        var graph = new ResourceGraph("t", [Make("docker:image", new JsonObject { ["name"] = "img:1", ["source"] = "local", ["build"] = build }, "t")]);

        async Task<int> PreviewInANewProcess()
        {
            var hashes = new FileHashCache(cacheFile); // what a new run of the CLI starts from: the cache file only
            using var docker = new DockerProvider(new DockerClientConfiguration(new Uri("unix:///nonexistent/docker.sock")).CreateClient(), new HttpClient(), hashes);
            var engine = new StackEngine(new DirectoryBackend(Path.Combine(_dir.FullName, "state")), "t", new ProviderRegistry(docker));
            var plan = await engine.PreviewAsync(graph);
            Assert.Single(plan.Steps);
            return hashes.Computed;
        }

        Assert.Equal(2, await PreviewInANewProcess());
        Assert.Equal(0, await PreviewInANewProcess());

        // Negative control: a rewritten binary (new size) is read again, and only that one.
        File.WriteAllText(second, "two, rebuilt");
        File.SetLastWriteTimeUtc(second, DateTime.UtcNow.AddHours(-1));
        Assert.Equal(1, await PreviewInANewProcess());
    }

    [Fact]
    public void The_content_hash_does_not_depend_on_how_the_build_inputs_are_spelled()
    {
        var binary = WriteOld("payload.bin", "v1");
        var inputs = ImageOf(binary, "img:1");
        var reordered = new JsonObject { ["build"] = inputs["build"]!.DeepClone(), ["source"] = "local", ["name"] = "img:1" };
        ((JsonObject)reordered["build"]!).Remove("files", out var files);
        ((JsonObject)reordered["build"]!)["files"] = files; // entrypoint first now
        using var docker = new DockerProvider();
        var hashOf = (JsonObject i) => docker.Check(Make("docker:image", i)).Observed["contentHash"]!.GetValue<string>();
        Assert.NotEqual(inputs.ToJsonString(), reordered.ToJsonString());
        Assert.Equal(hashOf(inputs), hashOf(reordered));
        var otherEntrypoint = ImageOf(binary, "img:1");
        otherEntrypoint["build"]!["entrypoint"] = new JsonArray("/bin/y");
        Assert.NotEqual(hashOf(inputs), hashOf(otherEntrypoint));
    }

    /// <summary>A file last written an hour ago: past the window in which a hash is not remembered.</summary>
    private string WriteOld(string name, string content)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, content);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddHours(-1));
        return path;
    }

    private static Resource Make(string type, JsonObject inputs, string stack = "s") => new() { Stack = stack, Type = type, Name = "r", Inputs = inputs };

    private static ResourceState State(Resource r, JsonObject outputs) =>
        new() { Urn = r.Urn, Type = r.Type, Name = r.Name, Inputs = r.Inputs.DeepClone().AsObject(), Outputs = outputs };

    private static JsonObject ImageOf(string binary, string name) => new()
    {
        ["name"] = name,
        ["source"] = "local",
        ["build"] = new JsonObject { ["files"] = new JsonArray(new JsonObject { ["from"] = binary, ["to"] = "/bin/x" }), ["entrypoint"] = new JsonArray("/bin/x") },
    };

    private static JsonObject Container(string configHash) => new()
    {
        ["name"] = "c",
        ["image"] = "img:1",
        ["networkMode"] = "host",
        ["reload"] = new JsonObject { ["kind"] = "http", ["url"] = "http://127.0.0.1:1/-/reload" },
        ["configHash"] = configHash,
    };

    private JsonObject FileOf(string content) => new() { ["path"] = Path.Combine(_dir.FullName, "a.conf"), ["content"] = content };

    private static JsonObject Stream(int replicas) => new()
    {
        ["server"] = "nats://127.0.0.1:1",
        ["name"] = "s",
        ["subjects"] = new JsonArray("a.*"),
        ["replicas"] = replicas,
    };

    private static JsonObject Consumer(string ackWait) => new()
    {
        ["server"] = "nats://127.0.0.1:1",
        ["stream"] = "s",
        ["name"] = "c",
        ["ackWait"] = ackWait,
    };

    private JsonObject Publish(string project, string sourceHash) => new()
    {
        ["project"] = project,
        ["output"] = Path.Combine(_dir.FullName, "out"),
        ["binary"] = "b",
        ["runtime"] = "linux-x64",
        ["configuration"] = "Release",
        ["sourceHash"] = sourceHash,
    };

    private sealed class UnreachableHandler : HttpMessageHandler
    {
        public int Calls { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Calls++;
            throw new HttpRequestException($"the network is unreachable in this test: {request.RequestUri}", null, HttpStatusCode.ServiceUnavailable);
        }
    }

    private sealed class UnreachableLibraries : ISharedLibraryResolver
    {
        public IReadOnlyList<string> Resolve(string binary) => throw new InvalidOperationException($"ldd is unreachable in this test ({binary})");
    }
}
