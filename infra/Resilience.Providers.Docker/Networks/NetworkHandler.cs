namespace Resilience.Providers.Docker.Networks;

/// <summary>"docker:network" (<see cref="NetworkInputs"/>). Any change replaces it.</summary>
internal sealed class NetworkHandler(DockerClient docker) : IResourceHandler
{
    public CheckResult Check(Resource desired) => DockerInputs.Check<NetworkInputs>(desired).Result;

    public DiffResult Diff(ResourceState recorded, CheckResult desired) => DockerInputs.Decide<NetworkInputs>(recorded.Inputs, desired.Desired.Inputs);

    public async Task<JsonObject> CreateAsync(Resource desired, CancellationToken ct)
    {
        var inputs = DockerInputs.Of<NetworkInputs>(desired);
        var name = inputs.Name;
        var driver = inputs.Driver ?? "bridge";
        var existing = await Inspect(name, ct);
        if (existing is not null)
        {
            if (!ObjectLabels.IsOwnedBy(existing.Labels, desired.Urn)) throw ObjectLabels.Clash("network", name, existing.Labels, desired.Urn);
            if (InputDiff.ChangedKeys(Live(existing, desired.Inputs), desired.Inputs).Count == 0) return Outputs(existing);
            await docker.Networks.DeleteNetworkAsync(existing.ID, ct);
        }
        var created = await docker.Networks.CreateNetworkAsync(
            new NetworksCreateParameters { Name = name, Driver = driver, Labels = ObjectLabels.For(desired), CheckDuplicate = true }, ct);
        return new JsonObject { ["id"] = created.ID };
    }

    public async Task<ReadResult?> ReadAsync(ResourceState recorded, CancellationToken ct)
    {
        var live = await FindOwnedAsync(recorded, ct);
        return live is null ? null : new ReadResult(Live(live, recorded.Inputs), Outputs(live));
    }

    public Task<JsonObject> UpdateAsync(ResourceState recorded, Resource desired, DiffResult diff, CancellationToken ct) =>
        throw new InvalidOperationException($"{desired.Urn}: networks are replaced, never updated in place");

    public async Task DeleteAsync(ResourceState recorded, CancellationToken ct)
    {
        var live = await FindOwnedAsync(recorded, ct);
        if (live is not null) await DockerErrors.IgnoreMissing(() => docker.Networks.DeleteNetworkAsync(live.ID, ct));
    }

    private static JsonObject Live(NetworkResponse live, JsonObject recorded)
    {
        var inputs = new JsonObject { ["name"] = live.Name };
        if (recorded.ContainsKey("driver") || live.Driver != "bridge") inputs["driver"] = live.Driver;
        var labels = ObjectLabels.UserLabels(live.Labels);
        if (recorded.ContainsKey("labels") || labels.Count > 0) inputs["labels"] = labels;
        return inputs;
    }

    private async Task<NetworkResponse?> FindOwnedAsync(ResourceState recorded, CancellationToken ct)
    {
        var live = await Inspect(recorded.Outputs["id"]?.GetValue<string>() ?? recorded.Inputs["name"]?.GetValue<string>() ?? "", ct);
        return live is not null && ObjectLabels.IsOwnedBy(live.Labels, recorded.Urn) ? live : null;
    }

    private async Task<NetworkResponse?> Inspect(string idOrName, CancellationToken ct)
    {
        if (idOrName.Length == 0) return null;
        var found = await DockerErrors.OrNullWhenMissing(() => docker.Networks.InspectNetworkAsync(idOrName, ct));
        // Inspect also matches id prefixes; only an exact name or id counts.
        return found is not null && (found.Name == idOrName || found.ID == idOrName) ? found : null;
    }

    private static JsonObject Outputs(NetworkResponse live) => new() { ["id"] = live.ID };
}
