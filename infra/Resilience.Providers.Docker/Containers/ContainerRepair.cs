namespace Resilience.Providers.Docker.Containers;

/// <summary>
/// Brings an unhealthy container back in place: starts it when stopped, restarts it when it loops or is not ready, and
/// waits until it is ready. When it exits again, it says why (its config file, when its log names one) instead of
/// trying again: restarting a service on a config it refuses only loops.
/// </summary>
internal sealed class ContainerRepair(DockerClient docker, ReadinessProbe probe)
{
    /// <summary>How the container fares now, its ready URL asked once when it is running.</summary>
    public async Task<ContainerHealth> HealthAsync(ContainerInspectResponse live, Readiness? ready, CancellationToken ct)
    {
        var up = live.State is { Running: true, Restarting: false };
        bool? answered = ready is null ? null : up && (await probe.AskAsync(ready, ct)).Ready;
        return ContainerHealth.Of(live, answered);
    }

    public async Task RepairAsync(ContainerInspectResponse live, ContainerInputs spec, CancellationToken ct)
    {
        var health = await HealthAsync(live, spec.Ready, ct);
        if (health.Healthy) return;
        if (live.State is { Running: false, Restarting: false }) await docker.Containers.StartContainerAsync(live.ID, new ContainerStartParameters(), ct);
        else await docker.Containers.RestartContainerAsync(live.ID, new ContainerRestartParameters { WaitBeforeKillSeconds = 10 }, ct);
        try
        {
            if (spec.Ready is not null) await probe.WaitAsync(live.ID, spec.Name, spec.Ready, ct);
            else await probe.SettleAsync(live.ID, spec.Name, ct);
        }
        catch (ContainerExitedException exited)
        {
            throw new InvalidOperationException(Explain(spec, health, exited), exited);
        }
    }

    private static string Explain(ContainerInputs spec, ContainerHealth before, ContainerExitedException exited) =>
        ConfigBlame.Find(spec.Mounts ?? [], exited.Logs) is { } blame
            ? $"container {spec.Name} keeps exiting: its config {blame.File} is the cause; it logged:\n  {blame.Line}\n  fix the file and run up again (it was {before} before this restart)"
            : $"container {spec.Name} keeps exiting (it was {before} before this restart); {exited.Message}";
}
