namespace Resilience.Providers.Docker.Containers;

/// <summary>Makes a running service re-read its mounted config: HTTP reload endpoint, a signal, or a restart.</summary>
internal sealed class ContainerReloader(DockerClient docker, ProbeHttp http)
{
    public async Task ReloadAsync(string containerId, string name, ReloadHow? reload, CancellationToken ct)
    {
        switch (reload?.Kind ?? ReloadKind.Restart)
        {
            case ReloadKind.Http:
                using (var response = await http.SendAsync(HttpMethod.Post, reload!.Url!, reload.Auth, ct))
                {
                    if ((int)response.StatusCode != 200)
                    {
                        var body = await response.Content.ReadAsStringAsync(ct);
                        throw new InvalidOperationException($"reloading container {name} via POST {reload.Url} answered HTTP {(int)response.StatusCode}: {body.Trim()}");
                    }
                }
                break;
            case ReloadKind.Signal:
                await docker.Containers.KillContainerAsync(containerId, new ContainerKillParameters { Signal = reload!.Signal }, ct);
                break;
            case ReloadKind.Restart:
                await docker.Containers.RestartContainerAsync(containerId, new ContainerRestartParameters { WaitBeforeKillSeconds = 10 }, ct);
                break;
        }
    }
}
