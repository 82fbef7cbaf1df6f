using System.Text.Json;

namespace Resilience.Providers.Docker.Images;

/// <summary>
/// "docker:image": a local image built from host files (imported like `docker import -c`), or a pinned
/// registry image pulled once. Images never change in place: any change, including changed file content, replaces.
/// </summary>
internal sealed class ImageHandler(DockerClient docker, ISharedLibraryResolver libraries, ContentHasher hasher) : IResourceHandler
{
    /// <summary>The observed content hash of a local image's root file system (absent while a generated file is not there yet).</summary>
    private const string ContentHashKey = "contentHash";

    /// <summary>Reads the inputs, checks the files exist, and hashes what the image would hold (cached by file version).</summary>
    public CheckResult Check(Resource desired)
    {
        var (read, result) = DockerInputs.Check<ImageInputs>(desired);
        var failures = read.Failures.ToList();
        var files = read.Value.Build?.Files ?? [];
        for (var i = 0; i < files.Count; i++)
        {
            var file = files[i];
            if (file.Generated != true && file.From is { Length: > 0 } from && Path.IsPathFullyQualified(from) && !File.Exists(from) && !Directory.Exists(from))
                failures.Add(new CheckFailure($"build.files[{i}].from", $"'{from}' does not exist"));
        }
        if (failures.Count > 0) return CheckResult.Failed(desired, failures);
        if (read.Value.Build is not { } build) return result;
        try
        {
            var hash = hasher.Compute(build, RootfsPlan.For(build, libraries));
            return result with { Observed = new JsonObject { [ContentHashKey] = hash } };
        }
        catch (IOException)
        {
            return result; // a generated file the apply makes first: Diff replaces, and the create reports a file still missing
        }
        catch (InvalidOperationException e)
        {
            return CheckResult.Failed(desired, new CheckFailure("build", e.Message)); // ldd: a library the host does not have
        }
    }

    public DiffResult Diff(ResourceState recorded, CheckResult desired)
    {
        var byInputs = DockerInputs.Decide<ImageInputs>(recorded.Inputs, desired.Desired.Inputs);
        if (byInputs.Kind != DiffKind.Same || desired.Desired.Inputs["build"] is null) return byInputs;
        var recordedHash = recorded.Outputs[ContentHashKey]?.GetValue<string>();
        var current = desired.Observed[ContentHashKey]?.GetValue<string>();
        return current is not null && current == recordedHash ? DiffResult.Same : DiffResult.Replace([ContentHashKey]);
    }

    public async Task<JsonObject> CreateAsync(Resource desired, CancellationToken ct)
    {
        var spec = DockerInputs.Of<ImageInputs>(desired);
        return spec.SourceOrDefault == ImageSource.Local
            ? await BuildAsync(desired, spec, ct)
            : await PullAsync(spec, ct);
    }

    public async Task<ReadResult?> ReadAsync(ResourceState recorded, CancellationToken ct)
    {
        var name = recorded.Inputs["name"]?.GetValue<string>() ?? "";
        var image = await Inspect(name, ct);
        return image is null ? null : new ReadResult(recorded.Inputs.DeepClone().AsObject(), Outputs(image));
    }

    public Task<JsonObject> UpdateAsync(ResourceState recorded, Resource desired, DiffResult diff, CancellationToken ct) =>
        throw new InvalidOperationException($"{desired.Urn}: images are replaced, never updated in place");

    public async Task DeleteAsync(ResourceState recorded, CancellationToken ct)
    {
        // A pulled image stays: with no registry reachable it could not be pulled again.
        if (recorded.Inputs["source"]?.GetValue<string>() == "registry") return;
        var name = recorded.Inputs["name"]?.GetValue<string>() ?? "";
        var image = await Inspect(name, ct);
        if (image is null || !ObjectLabels.IsOwnedBy(image.Config?.Labels, recorded.Urn)) return;
        // A replace under the same name builds the new image first: the name then points to it, and the old
        // image (already untagged by the build) must not take the new one with it.
        if (recorded.Outputs["id"]?.GetValue<string>() is { } id && id != image.ID) return;
        await DockerErrors.IgnoreMissing(() => docker.Images.DeleteImageAsync(name, new ImageDeleteParameters(), ct));
    }

    private async Task<JsonObject> BuildAsync(Resource desired, ImageInputs spec, CancellationToken ct)
    {
        var plan = RootfsPlan.For(spec.Build!, libraries);
        var contentHash = hasher.Compute(spec.Build!, plan);
        var existing = await Inspect(spec.Name, ct);
        if (existing is not null)
        {
            if (!ObjectLabels.IsOwnedBy(existing.Config?.Labels, desired.Urn)) throw ObjectLabels.Clash("image", spec.Name, existing.Config?.Labels, desired.Urn);
            if (existing.Config!.Labels.TryGetValue(ObjectLabels.ContentHash, out var hash) && hash == contentHash) return Outputs(existing);
        }

        var labels = ObjectLabels.For(desired);
        labels[ObjectLabels.ContentHash] = contentHash;
        await using (var tar = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose))
        {
            await RootfsTarWriter.WriteAsync(plan, tar, ct);
            tar.Position = 0;
            var progress = new DockerProgress();
            var parameters = new ImagesCreateParameters
            {
                FromSrc = "-",
                Repo = ImageReference.Parse(spec.Name).Repository,
                Tag = ImageReference.Parse(spec.Name).Tag,
                Changes = ImportChanges(spec.Build!, labels),
                Message = $"resilience {desired.Urn}",
            };
            await docker.Images.CreateImageAsync(parameters, tar, null, progress, ct);
            progress.ThrowOnError($"importing image {spec.Name}");
        }

        var built = await Inspect(spec.Name, ct) ?? throw new InvalidOperationException($"image {spec.Name} is missing right after its import");
        if (existing is not null && existing.ID != built.ID) await RemoveQuietly(existing.ID, ct);
        return Outputs(built);
    }

    private async Task<JsonObject> PullAsync(ImageInputs spec, CancellationToken ct)
    {
        var existing = await Inspect(spec.Name, ct);
        if (existing is not null) return Outputs(existing);
        var progress = new DockerProgress();
        try
        {
            await docker.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = ImageReference.Parse(spec.Name).Repository, Tag = ImageReference.Parse(spec.Name).Tag }, null, progress, ct);
        }
        catch (DockerApiException e)
        {
            throw new InvalidOperationException($"pulling image {spec.Name} failed: {e.ResponseBody}", e);
        }
        progress.ThrowOnError($"pulling image {spec.Name}");
        return Outputs(await Inspect(spec.Name, ct) ?? throw new InvalidOperationException($"image {spec.Name} is missing after its pull"));
    }

    /// <summary>The `docker import -c` instructions: how the image starts, who it runs as, and its labels.</summary>
    internal static List<string> ImportChanges(ImageBuild build, IReadOnlyDictionary<string, string> labels)
    {
        var changes = new List<string> { "ENTRYPOINT " + JsonSerializer.Serialize(build.Entrypoint) };
        if (build.Cmd is not null) changes.Add("CMD " + JsonSerializer.Serialize(build.Cmd));
        if (!string.IsNullOrEmpty(build.User)) changes.Add("USER " + build.User);
        changes.AddRange(labels.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"LABEL {p.Key}={JsonSerializer.Serialize(p.Value)}"));
        return changes;
    }

    private static JsonObject Outputs(ImageInspectResponse image)
    {
        var outputs = new JsonObject { ["id"] = image.ID, ["sizeBytes"] = image.Size };
        if (image.Config?.Labels?.TryGetValue(ObjectLabels.ContentHash, out var hash) == true) outputs["contentHash"] = hash;
        return outputs;
    }

    private Task<ImageInspectResponse?> Inspect(string name, CancellationToken ct) =>
        DockerErrors.OrNullWhenMissing(() => docker.Images.InspectImageAsync(name, ct));

    // The replaced image may still back a running container (it is replaced after the image): then it stays.
    private async Task RemoveQuietly(string imageId, CancellationToken ct)
    {
        try
        {
            await docker.Images.DeleteImageAsync(imageId, new ImageDeleteParameters(), ct);
        }
        catch (DockerApiException)
        {
        }
    }
}
