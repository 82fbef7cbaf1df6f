namespace Resilience.Pulumi;

/// <summary>The machine a stack deploys to and the Docker endpoint its `pulumi:providers:docker` resource talks to.</summary>
public sealed record DockerTarget(string Machine, string Host);
