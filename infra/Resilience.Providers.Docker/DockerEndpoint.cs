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

    /// <summary>
    /// Every call that does not answer within two minutes fails (the longest a call here waits for is a container's
    /// 10 s stop), so an engine that hangs ends an operation with an error rather than never.
    /// </summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromMinutes(2);

    public static DockerClient CreateClient() =>
        new DockerClientConfiguration(Resolve(), defaultTimeout: CallTimeout).CreateClient();
}
