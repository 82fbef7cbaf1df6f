namespace Resilience.Providers.Docker;

public sealed record CleanupReport(int Containers, int Networks, int Volumes, int Images);

/// <summary>Removes every Docker object labelled resilience.stack=&lt;stack&gt; (tests, `destroy --force`); touches nothing else.</summary>
public static class DockerStackCleanup
{
    public static async Task<CleanupReport> RemoveAllAsync(DockerClient docker, string stack, CancellationToken ct = default)
    {
        var filter = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{ObjectLabels.Stack}={stack}"] = true } };

        var containers = await docker.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = filter }, ct);
        foreach (var c in containers)
        {
            await DockerErrors.IgnoreMissing(() => docker.Containers.RemoveContainerAsync(c.ID, new ContainerRemoveParameters { Force = true }, ct));
        }

        var networks = await docker.Networks.ListNetworksAsync(new NetworksListParameters { Filters = filter }, ct);
        foreach (var n in networks) await DockerErrors.IgnoreMissing(() => docker.Networks.DeleteNetworkAsync(n.ID, ct));

        var volumes = (await docker.Volumes.ListAsync(new VolumesListParameters { Filters = filter }, ct)).Volumes ?? [];
        foreach (var v in volumes) await DockerErrors.IgnoreMissing(() => docker.Volumes.RemoveAsync(v.Name, true, ct));

        var images = await docker.Images.ListImagesAsync(new ImagesListParameters { All = true, Filters = filter }, ct);
        foreach (var i in images)
        {
            await DockerErrors.IgnoreMissing(() => docker.Images.DeleteImageAsync(i.ID, new ImageDeleteParameters { Force = true }, ct));
        }
        return new CleanupReport(containers.Count, networks.Count, volumes.Count, images.Count);
    }

    public static async Task<CleanupReport> RemoveAllAsync(string stack, CancellationToken ct = default)
    {
        using var docker = DockerEndpoint.CreateClient();
        return await RemoveAllAsync(docker, stack, ct);
    }
}
