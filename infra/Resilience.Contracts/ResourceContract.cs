using System.Collections.Concurrent;
using System.ComponentModel;
using System.Reflection;
using System.Text.Json.Serialization.Metadata;

namespace Resilience.Contracts;

/// <summary>One input of a record, with the facts both back ends read from its marks.</summary>
/// <param name="Key">Its JSON name.</param>
/// <param name="Member">Its C# name.</param>
/// <param name="Default">The value the providers assume when it is unset ([DefaultValue]); null when none.</param>
public sealed record InputMember(string Key, string Member, Type Type, bool ReplaceOnChange, bool ReloadOnChange, bool Secret, object? Default)
{
    /// <summary>See <see cref="ReplaceOnChangeAttribute.TriggerOmitsDefault"/>.</summary>
    public bool TriggerOmitsDefault { get; init; }
}

/// <summary>What an input record declares: its resource type, whether it holds data, and its members' marks.</summary>
public sealed class ResourceContract
{
    private static readonly ConcurrentDictionary<Type, ResourceContract> Cache = new();
    private readonly Dictionary<string, InputMember> _byMember;
    private readonly Dictionary<string, InputMember> _byKey;

    private ResourceContract(Type record)
    {
        Record = record;
        Type = record.GetCustomAttribute<ResourceTypeAttribute>()?.Type;
        HoldsData = record.GetCustomAttribute<HoldsDataAttribute>() is not null;
        Members = ContractJson.Options.GetTypeInfo(record).Properties.Where(IsInput).Select(Describe).ToList();
        _byMember = Members.ToDictionary(m => m.Member, StringComparer.Ordinal);
        _byKey = Members.ToDictionary(m => m.Key, StringComparer.Ordinal);
    }

    public static ResourceContract Of<T>() => Of(typeof(T));

    public static ResourceContract Of(Type record) => Cache.GetOrAdd(record, r => new ResourceContract(r));

    public Type Record { get; }

    /// <summary>"docker:container"; null for a nested record (a port, a mount).</summary>
    public string? Type { get; }

    public bool HoldsData { get; }

    public IReadOnlyList<InputMember> Members { get; }

    public IEnumerable<string> Keys => Members.Select(m => m.Key);

    public IReadOnlyList<string> ReplaceKeys => Members.Where(m => m.ReplaceOnChange).Select(m => m.Key).ToList();

    /// <summary>The JSON name of the member with this C# name (nameof).</summary>
    public string Key(string member) =>
        _byMember.TryGetValue(member, out var m) ? m.Key : throw new ArgumentException($"{Record.Name} has no input member {member}", nameof(member));

    public InputMember? FindKey(string key) => _byKey.GetValueOrDefault(key);

    /// <summary>
    /// The changed keys that force a replace: those marked [ReplaceOnChange], and keys the contract does not know (one
    /// only a refresh records, like a stopped container's "running"): an unknown change is never assumed harmless.
    /// </summary>
    public IReadOnlyList<string> Forcing(IEnumerable<string> changed) => changed.Where(k => FindKey(k) is not { ReplaceOnChange: false }).ToList();

    /// <summary>
    /// The identity of an object as a replace trigger: the [ReplaceOnChange] inputs, in declaration order, without those
    /// marked to leave their default out while they hold it.
    /// </summary>
    public System.Text.Json.Nodes.JsonObject Identity(System.Text.Json.Nodes.JsonObject inputs) => new(Members
        .Where(m => m.ReplaceOnChange)
        .Where(m => !(m.TriggerOmitsDefault && IsDefault(m, inputs[m.Key])))
        .Select(m => KeyValuePair.Create(m.Key, inputs[m.Key]?.DeepClone())));

    private static bool IsDefault(InputMember member, System.Text.Json.Nodes.JsonNode? value) =>
        value is null || System.Text.Json.Nodes.JsonNode.DeepEquals(value, System.Text.Json.JsonSerializer.SerializeToNode(member.Default, ContractJson.Options));

    /// <summary>Whether any changed key is marked [ReloadOnChange].</summary>
    public bool Reloads(IEnumerable<string> changed) => changed.Any(k => FindKey(k)?.ReloadOnChange == true);

    /// <summary>Computed members ([JsonIgnore], e.g. a container's HostNetwork) are not inputs.</summary>
    private static bool IsInput(JsonPropertyInfo property) =>
        (property.AttributeProvider as MemberInfo)?.GetCustomAttribute<System.Text.Json.Serialization.JsonIgnoreAttribute>() is null;

    private static InputMember Describe(JsonPropertyInfo property)
    {
        var info = property.AttributeProvider as MemberInfo
            ?? throw new InvalidOperationException($"{property.Name}: input members must be properties");
        return new InputMember(
            property.Name,
            info.Name,
            property.PropertyType,
            info.GetCustomAttribute<ReplaceOnChangeAttribute>() is not null,
            info.GetCustomAttribute<ReloadOnChangeAttribute>() is not null,
            info.GetCustomAttribute<SecretAttribute>() is not null,
            info.GetCustomAttribute<DefaultValueAttribute>()?.Value)
        {
            TriggerOmitsDefault = info.GetCustomAttribute<ReplaceOnChangeAttribute>()?.TriggerOmitsDefault ?? false,
        };
    }
}
