using System.Text.Json;
using System.Text.Json.Nodes;
using Docker.DotNet;
using Docker.DotNet.Models;
using Resilience.Engine.Providers;
using Resilience.Model;

namespace Resilience.Providers.Docker.Images;

/// <summary>
/// "docker:image": a local image built from host files (imported like `docker import -c`), or a pinned
/// registry image pulled once. Images never change in place: any change, including changed file content, replaces.
/// </summary>
internal sealed class ImageHandler(DockerClient docker, ISharedLibraryResolver libraries, ContentHasher hasher) : IResourceHandler
{
    public IReadOnlyList<string> Check(Resource desired) => ImageSpec.Parse(desired).Problems;

    public DiffResult Diff(ResourceState recorded, Resource desired)
    {
        var changed = InputDiff.ChangedKeys(recorded.Inputs, desired.Inputs);
        if (changed.Count > 0) return DiffResult.Replace(changed);
        var (spec, _) = ImageSpec.Parse(desired);
        if (spec?.Build is null) return DiffResult.Same;
        var recordedHash = recorded.Outputs["contentHash"]?.GetValue<string>();
        string current;
        try
        {
            current = hasher.Compute(desired.Inputs["build"], RootfsPlan.For(spec.Build, libraries));
        }
        catch (IOException)
        {
            return DiffResult.Replace(["contentHash"]); // the create that follows reports the missing file
        }
        return current == recordedHash ? DiffResult.Same : DiffResult.Replace(["contentHash"]);
    }

    public async Task<JsonObject> CreateAsync(Resource desired, CancellationToken ct)
    {
        var spec = Parse(desired);
        return spec.Source == ImageSource.Local
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

    private async Task<JsonObject> BuildAsync(Resource desired, ImageSpec spec, CancellationToken ct)
    {
        var plan = RootfsPlan.For(spec.Build!, libraries);
        var contentHash = hasher.Compute(desired.Inputs["build"], plan);
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
                Repo = spec.Reference.Repository,
                Tag = spec.Reference.Tag,
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

    private async Task<JsonObject> PullAsync(ImageSpec spec, CancellationToken ct)
    {
        var existing = await Inspect(spec.Name, ct);
        if (existing is not null) return Outputs(existing);
        var progress = new DockerProgress();
        try
        {
            await docker.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = spec.Reference.Repository, Tag = spec.Reference.Tag }, null, progress, ct);
        }
        catch (DockerApiException e)
        {
            throw new InvalidOperationException($"pulling image {spec.Name} failed: {e.ResponseBody}", e);
        }
        progress.ThrowOnError($"pulling image {spec.Name}");
        return Outputs(await Inspect(spec.Name, ct) ?? throw new InvalidOperationException($"image {spec.Name} is missing after its pull"));
    }

    /// <summary>The `docker import -c` instructions: how the image starts, who it runs as, and its labels.</summary>
    internal static List<string> ImportChanges(ImageBuildSpec build, IReadOnlyDictionary<string, string> labels)
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

    private static ImageSpec Parse(Resource desired)
    {
        var (spec, problems) = ImageSpec.Parse(desired);
        return spec ?? throw new InvalidOperationException(string.Join("; ", problems));
    }
}
