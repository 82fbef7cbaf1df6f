namespace Resilience.Contracts;

/// <summary>The resource type a record is the inputs of ("docker:container"): what <see cref="ResourceTypes"/> maps.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ResourceTypeAttribute(string type) : Attribute
{
    public string Type { get; } = type;
}

/// <summary>Deleting or replacing a resource of this type loses the data it holds (a volume, a stream): plans say so.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class HoldsDataAttribute : Attribute;

/// <summary>
/// A change of this input cannot be made in place: a new object is made and the old one deleted. Both back ends read
/// this mark (the embedded providers' Diff and the Pulumi mapping's triggers), so they cannot disagree.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ReplaceOnChangeAttribute : Attribute
{
    /// <summary>
    /// For a mark added after objects were deployed: a replace trigger computed from these inputs (Pulumi's) leaves the
    /// member out while it holds its [DefaultValue], so the deployed objects keep the trigger they have (a changed
    /// trigger replaces an object, and a stream's replace deletes its messages).
    /// </summary>
    public bool TriggerOmitsDefault { get; init; }
}

/// <summary>A change of this input makes the running service re-read its config in place (reload, SIGHUP, restart).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ReloadOnChangeAttribute : Attribute;

/// <summary>This input must be given as a secret (<see cref="SecretText"/> wrapped): it is never printed or stored in the clear.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SecretAttribute : Attribute;
