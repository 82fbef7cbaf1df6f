namespace Resilience.Providers.Docker.Volumes;

/// <summary>"docker:volume" (<see cref="VolumeInputs"/>). A replace loses its data, and says so.</summary>
internal sealed class VolumeHandler(DockerClient docker) : IResourceHandler
{
    public CheckResult Check(Resource desired) => DockerInputs.Check<VolumeInputs>(desired).Result;

    public DiffResult Diff(ResourceState recorded, CheckResult desired) => DockerInputs.Decide<VolumeInputs>(recorded.Inputs, desired.Desired.Inputs);

    public async Task<JsonObject> CreateAsync(Resource desired, CancellationToken ct)
    {
        var name = DockerInputs.Of<VolumeInputs>(desired).Name;
        var existing = await Inspect(name, ct);
        if (existing is not null)
        {
            // An existing volume of ours is adopted as it is: its data is worth more than its labels.
            if (!ObjectLabels.IsOwnedBy(existing.Labels, desired.Urn)) throw ObjectLabels.Clash("volume", name, existing.Labels, desired.Urn);
            return Outputs(existing);
        }
        return Outputs(await docker.Volumes.CreateAsync(new VolumesCreateParameters { Name = name, Labels = ObjectLabels.For(desired) }, ct));
    }

    public async Task<ReadResult?> ReadAsync(ResourceState recorded, CancellationToken ct)
    {
        var live = await FindOwnedAsync(recorded, ct);
        if (live is null) return null;
        var inputs = new JsonObject { ["name"] = live.Name };
        var labels = ObjectLabels.UserLabels(live.Labels);
        if (recorded.Inputs.ContainsKey("labels") || labels.Count > 0) inputs["labels"] = labels;
        return new ReadResult(inputs, Outputs(live));
    }

    public Task<JsonObject> UpdateAsync(ResourceState recorded, Resource desired, DiffResult diff, CancellationToken ct) =>
        throw new InvalidOperationException($"{desired.Urn}: volumes are replaced, never updated in place");

    public async Task DeleteAsync(ResourceState recorded, CancellationToken ct)
    {
        var live = await FindOwnedAsync(recorded, ct);
        if (live is not null) await DockerErrors.IgnoreMissing(() => docker.Volumes.RemoveAsync(live.Name, false, ct));
    }

    private async Task<VolumeResponse?> FindOwnedAsync(ResourceState recorded, CancellationToken ct)
    {
        var live = await Inspect(recorded.Inputs["name"]?.GetValue<string>() ?? "", ct);
        return live is not null && ObjectLabels.IsOwnedBy(live.Labels, recorded.Urn) ? live : null;
    }

    private Task<VolumeResponse?> Inspect(string name, CancellationToken ct) =>
        name.Length == 0 ? Task.FromResult<VolumeResponse?>(null) : DockerErrors.OrNullWhenMissing(() => docker.Volumes.InspectAsync(name, ct));

    private static JsonObject Outputs(VolumeResponse live) => new() { ["mountpoint"] = live.Mountpoint };
}
