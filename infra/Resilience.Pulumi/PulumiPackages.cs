namespace Resilience.Pulumi;

/// <summary>The Pulumi packages the program uses, pinned to the versions whose schemas the tests check against.</summary>
public static class PulumiPackages
{
    public const string DockerVersion = "5.1.0";
    public const string CommandVersion = "1.2.1";

    public const string DockerProvider = "pulumi:providers:docker";
    public const string RemoteImage = "docker:index/remoteImage:RemoteImage";
    public const string Network = "docker:index/network:Network";
    public const string Volume = "docker:index/volume:Volume";
    public const string Container = "docker:index/container:Container";
    public const string Command = "command:local:Command";

    /// <summary>Where the docker provider connects when the stack sets no `dockerHost`.</summary>
    public const string DefaultDockerHost = "unix:///var/run/docker.sock";

    /// <summary>Every resource type the compiler can emit, so plugin discovery finds both packages.</summary>
    public static readonly IReadOnlyList<string> AllTypes = [DockerProvider, RemoteImage, Network, Volume, Container, Command];
}
