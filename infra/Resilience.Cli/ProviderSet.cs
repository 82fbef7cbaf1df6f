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
    /// <param name="stateEncryptsSecrets">The stack has a passphrase: files taken over can be kept in its state.</param>
    public static ProviderRegistry Create(bool stateEncryptsSecrets = false) =>
        new(new DockerProvider(), new FileProvider(stateEncryptsSecrets), new JetStreamProvider(), new DotnetProvider(), new CommandProvider());
}
