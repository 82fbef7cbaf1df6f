namespace Resilience.Providers.Docker;

/// <summary>Where the Docker engine listens: DOCKER_HOST when set, else the default unix socket.</summary>
public static class DockerEndpoint
{
    public const string DefaultSocket = "unix:///var/run/docker.sock";

    public static Uri Resolve()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("DOCKER_HOST");
        return new Uri(string.IsNullOrWhiteSpace(fromEnvironment) ? DefaultSocket : fromEnvironment);
    }

    public static DockerClient CreateClient() =>
        new DockerClientConfiguration(Resolve(), defaultTimeout: TimeSpan.FromMinutes(5)).CreateClient();
}
