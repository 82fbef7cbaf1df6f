using Resilience.Engine.Providers;

namespace Resilience.Cli;

/// <summary>The providers the embedded engine uses on this machine.</summary>
public static class ProviderSet
{
    public static ProviderRegistry Create(ProjectContext project) => new();
}
