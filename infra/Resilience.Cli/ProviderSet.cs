using Resilience.Engine.Providers;
using Resilience.Providers.Command;
using Resilience.Providers.Docker;
using Resilience.Providers.Dotnet;
using Resilience.Providers.Files;
using Resilience.Providers.JetStream;

namespace Resilience.Cli;

/// <summary>The providers the embedded engine uses on this machine.</summary>
public static class ProviderSet
{
    public static ProviderRegistry Create() => new(new DockerProvider(), new FileProvider(), new JetStreamProvider(), new DotnetProvider(), new CommandProvider());
}
