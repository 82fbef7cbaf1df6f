namespace Resilience.Contracts;

/// <summary>The registry of resource types: "docker:container" → its input record, from the records' [ResourceType].</summary>
public static class ResourceTypes
{
    private static readonly Dictionary<string, ResourceContract> ByType = typeof(ResourceTypes).Assembly.GetTypes()
        .Where(t => t.IsDefined(typeof(ResourceTypeAttribute), inherit: false))
        .Select(ResourceContract.Of)
        .ToDictionary(c => c.Type!, StringComparer.Ordinal);

    public static IReadOnlyCollection<ResourceContract> All => ByType.Values;

    public static ResourceContract? Find(string type) => ByType.GetValueOrDefault(type);

    public static ResourceContract Of(string type) =>
        Find(type) ?? throw new ArgumentException($"unknown resource type '{type}' (known: {string.Join(", ", ByType.Keys.Order())})", nameof(type));

    /// <summary>The resource type string of an input record ("docker:container").</summary>
    public static string TypeOf<T>() => ResourceContract.Of<T>().Type ?? throw new ArgumentException($"{typeof(T).Name} is not a resource's inputs");

    /// <summary>Whether deleting or replacing a resource of this type loses data (unknown types: false).</summary>
    public static bool HoldsData(string type) => Find(type)?.HoldsData ?? false;
}
