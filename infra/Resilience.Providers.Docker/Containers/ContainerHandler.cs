using Resilience.Contracts;
using Resilience.Platform;

namespace Resilience.Providers.Docker.Containers;

/// <summary>
/// "docker:container": immutable once created. A changed configHash alone reloads the service in place;
/// a change of ready/reload behaviour is recorded without touching it; anything else replaces it. Its health (running,
/// restarts, ready) is part of the live read: an unhealthy container is drift, repaired in place (started or restarted).
/// </summary>
internal sealed class ContainerHandler(DockerClient docker, ProbeHttp http) : IResourceHandler
{
    /// <summary>Inputs that steer how the tool treats the container rather than how Docker runs it: those not replacing it.</summary>
    private static readonly string[] ToolKeys = ResourceContract.Of<ContainerInputs>().Members.Where(m => !m.ReplaceOnChange).Select(m => m.Key).ToArray();

    private readonly ReadinessProbe _probe = new(docker, http);
    private readonly ContainerReloader _reloader = new(docker, http);
    private readonly ContainerRepair _repair = new(docker, new ReadinessProbe(docker, http));

    public CheckResult Check(Resource desired) => DockerInputs.Check<ContainerInputs>(desired).Result;

    /// <summary>
    /// As the contract's marks say; an unhealthy container that a refresh recorded (health, or the older "running") is an
    /// update that repairs it in place, unless something else replaces it anyway.
    /// </summary>
    public DiffResult Diff(ResourceState recorded, CheckResult desired)
    {
        var health = ContainerHealth.Keys.Where(recorded.Inputs.ContainsKey).ToList();
        if (health.Count == 0) return DockerInputs.Decide<ContainerInputs>(recorded.Inputs, desired.Desired.Inputs);
        var asWanted = recorded.Inputs.DeepClone().AsObject();
        foreach (var key in health) asWanted.Remove(key);
        var decided = DockerInputs.Decide<ContainerInputs>(asWanted, desired.Desired.Inputs);
        return decided.Kind switch
        {
            DiffKind.Same => DiffResult.Update(health),
            DiffKind.Replace => decided,
            _ => decided with { Keys = [.. decided.Keys, .. health] },
        };
    }

    public async Task<JsonObject> CreateAsync(Resource desired, CancellationToken ct)
    {
        var spec = DockerInputs.Of<ContainerInputs>(desired);
        var configHash = spec.ConfigHash;
        var existing = await Inspect(spec.Name, ct);
        if (existing is not null)
        {
            if (!ObjectLabels.IsOwnedBy(existing.Config?.Labels, desired.Urn)) throw ObjectLabels.Clash("container", spec.Name, existing.Config?.Labels, desired.Urn);
            if (await MatchesAsync(existing, desired.Inputs, ct)) return await AdoptAsync(existing, spec, configHash, ct);
            await RemoveAsync(existing.ID, ct);
        }

        CreateContainerResponse created;
        try
        {
            created = await docker.Containers.CreateContainerAsync(ContainerParameters.For(desired, spec, configHash), ct);
        }
        catch (DockerImageNotFoundException)
        {
            throw new InvalidOperationException($"container {spec.Name}: image {spec.Image} does not exist on this Docker engine (build or pull it first)");
        }
        try
        {
            await docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), ct);
            if (spec.Ready is not null) await _probe.WaitAsync(created.ID, spec.Name, spec.Ready, ct);
        }
        catch (Exception e) when (e is DockerApiException or InvalidOperationException or TimeoutException)
        {
            var logs = await ContainerLogs.TailAsync(docker, created.ID, CancellationToken.None);
            await RemoveAsync(created.ID, CancellationToken.None); // leave nothing half-made behind
            if (e is DockerApiException api) throw new InvalidOperationException($"container {spec.Name} did not start: {api.ResponseBody.Trim()}\n{logs}", e);
            throw;
        }
        return Outputs(await docker.Containers.InspectContainerAsync(created.ID, ct));
    }

    public async Task<ReadResult?> ReadAsync(ResourceState recorded, CancellationToken ct)
    {
        var live = await FindOwnedAsync(recorded, ct);
        if (live is null) return null;
        var ready = RecordedReadiness(recorded.Inputs["ready"]);
        var health = await _repair.HealthAsync(live, ready, ct);
        var read = new ReadResult(await LiveInputsAsync(live, recorded.Inputs, ct, health), Outputs(live));
        if (health.Healthy) return read;
        var logs = await ContainerLogs.TailAsync(docker, live.ID, ct, lines: 5);
        return read with { Detail = [$"{live.Name.TrimStart('/')}: {health}; last log lines:", .. logs.Split('\n').Select(l => $"  {l.TrimEnd()}")] };
    }

    /// <summary>
    /// The recorded ready URL and its credentials. A password the state holds only as a fingerprint (no passphrase, and
    /// no desired value to restore it from) cannot be presented: the container's health is then judged without asking
    /// (running, no restarts) rather than called unready on a 401 it would answer anyone without the password.
    /// </summary>
    private static Readiness? RecordedReadiness(JsonNode? ready)
    {
        if (ready is not JsonObject node || node["url"]?.GetValue<string>() is not { } url) return null;
        if (node["auth"] is null) return new Readiness { Url = url };
        var read = ContractJson.Read<Readiness>(node);
        return read.Ok ? read.Value : null;
    }

    public async Task<JsonObject> UpdateAsync(ResourceState recorded, Resource desired, DiffResult diff, CancellationToken ct)
    {
        var spec = DockerInputs.Of<ContainerInputs>(desired);
        var live = await FindOwnedAsync(recorded, ct)
            ?? throw new InvalidOperationException($"container {spec.Name} is gone; refresh to recreate it");
        if (diff.Keys.Any(ContainerHealth.Keys.Contains)) await _repair.RepairAsync(live, spec, ct);
        if (diff.Kind == DiffKind.Reload)
        {
            try
            {
                await ReloadAndWaitAsync(live.ID, spec, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException && spec.Reload?.Files is { Count: > 0 } files)
            {
                throw await PutBackAsync(live.ID, spec, files, e, ct);
            }
        }
        return Outputs(await docker.Containers.InspectContainerAsync(live.ID, ct));
    }

    private async Task ReloadAndWaitAsync(string id, ContainerInputs spec, CancellationToken ct)
    {
        await _reloader.ReloadAsync(id, spec.Name, spec.Reload, ct);
        if (spec.Ready is not null) await _probe.WaitAsync(id, spec.Name, spec.Ready, ct);
    }

    /// <summary>
    /// The service refused its new config (reload error, exit, not ready): the config files' previous content goes back
    /// and the service is reloaded on it, so a bad change never leaves it worse off. The step still fails with its words.
    /// </summary>
    private async Task<Exception> PutBackAsync(string id, ContainerInputs spec, IReadOnlyList<string> files, Exception refused, CancellationToken ct)
    {
        var restored = files.Where(PreviousContent.Restore).ToList();
        if (restored.Count == 0) return refused;
        var which = string.Join(", ", restored);
        try
        {
            await ReloadAndWaitAsync(id, spec, ct);
        }
        catch (Exception again) when (again is not OperationCanceledException)
        {
            return new InvalidOperationException(
                $"{refused.Message}\n  the previous content of {which} was put back, but {spec.Name} did not come back on it either: {again.Message}", refused);
        }
        return new InvalidOperationException(
            $"{refused.Message}\n  the previous content of {which} was put back and {spec.Name} reloaded on it; fix the config and run up again", refused);
    }

    public async Task DeleteAsync(ResourceState recorded, CancellationToken ct)
    {
        var live = await FindOwnedAsync(recorded, ct);
        if (live is not null) await RemoveAsync(live.ID, ct);
    }

    private async Task<JsonObject> AdoptAsync(ContainerInspectResponse existing, ContainerInputs spec, string? configHash, CancellationToken ct)
    {
        if (!existing.State.Running)
        {
            await docker.Containers.StartContainerAsync(existing.ID, new ContainerStartParameters(), ct);
        }
        else if ((existing.Config.Labels.TryGetValue(ObjectLabels.ConfigHash, out var adoptedHash) ? adoptedHash : null) != configHash)
        {
            // It may have been created for an older config: make it read the current one.
            await _reloader.ReloadAsync(existing.ID, spec.Name, spec.Reload, ct);
        }
        if (spec.Ready is not null) await _probe.WaitAsync(existing.ID, spec.Name, spec.Ready, ct);
        return Outputs(await docker.Containers.InspectContainerAsync(existing.ID, ct));
    }

    /// <summary>True when the existing container runs what the inputs ask for (ignoring tool-only keys and its running state).</summary>
    private async Task<bool> MatchesAsync(ContainerInspectResponse existing, JsonObject desired, CancellationToken ct)
    {
        var live = await LiveInputsAsync(existing, desired, ct);
        var wanted = desired.DeepClone().AsObject();
        foreach (var key in ToolKeys.Concat(ContainerHealth.Keys))
        {
            live.Remove(key);
            wanted.Remove(key);
        }
        return InputDiff.ChangedKeys(live, wanted).Count == 0;
    }

    private async Task<JsonObject> LiveInputsAsync(ContainerInspectResponse live, JsonObject recorded, CancellationToken ct, ContainerHealth? health = null)
    {
        var runningImage = await DockerErrors.OrNullWhenMissing(() => docker.Images.InspectImageAsync(live.Image, ct));
        var namedImage = await DockerErrors.OrNullWhenMissing(() => docker.Images.InspectImageAsync(live.Config.Image, ct));
        return LiveContainerInputs.From(live, runningImage?.Config, namedImage?.ID, recorded, health);
    }

    /// <summary>The container this state recorded: by id, else by name when it carries our urn; null when gone.</summary>
    private async Task<ContainerInspectResponse?> FindOwnedAsync(ResourceState recorded, CancellationToken ct)
    {
        var id = recorded.Outputs["id"]?.GetValue<string>();
        var live = id is null ? null : await Inspect(id, ct);
        if (live is null && recorded.Inputs["name"]?.GetValue<string>() is { } name) live = await Inspect(name, ct);
        return live is not null && ObjectLabels.IsOwnedBy(live.Config?.Labels, recorded.Urn) ? live : null;
    }

    private async Task RemoveAsync(string id, CancellationToken ct)
    {
        await DockerErrors.IgnoreMissing(() => docker.Containers.StopContainerAsync(id, new ContainerStopParameters { WaitBeforeKillSeconds = 10 }, ct));
        await DockerErrors.IgnoreMissing(() => docker.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true }, ct));
    }

    private Task<ContainerInspectResponse?> Inspect(string idOrName, CancellationToken ct) =>
        DockerErrors.OrNullWhenMissing(() => docker.Containers.InspectContainerAsync(idOrName, ct));

    private static JsonObject Outputs(ContainerInspectResponse live) => new()
    {
        ["id"] = live.ID,
        ["imageId"] = live.Image,
        ["running"] = live.State?.Running ?? false,
    };
}
