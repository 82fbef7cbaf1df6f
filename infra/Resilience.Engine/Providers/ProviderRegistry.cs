namespace Resilience.Engine.Providers;

/// <summary>The providers an engine may call, by family ("docker", "file", "jetstream").</summary>
public sealed class ProviderRegistry
{
    private readonly Dictionary<string, IProvider> _byFamily = new(StringComparer.Ordinal);

    public ProviderRegistry(IEnumerable<IProvider> providers)
    {
        foreach (var provider in providers)
        {
            if (!_byFamily.TryAdd(provider.Family, provider))
            {
                throw new ArgumentException($"two providers for family '{provider.Family}'", nameof(providers));
            }
        }
    }

    public ProviderRegistry(params IProvider[] providers) : this((IEnumerable<IProvider>)providers) { }

    public IReadOnlyCollection<string> Families => _byFamily.Keys;

    public IProvider? Find(string family) => _byFamily.GetValueOrDefault(family);

    public IProvider For(string family) =>
        Find(family) ?? throw new InvalidOperationException($"no provider for resource family '{family}'");
}
