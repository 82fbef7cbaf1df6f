namespace Resilience.Operations.Rollback;

public enum ConfigEditKind
{
    Set,
    SetSecure,
    Remove,
}

/// <summary>One change to a stack file: <paramref name="Value"/> is the plain value, the ciphertext, or null for a removal.</summary>
/// <param name="Key">The full key ("resilience:rolloutWeek").</param>
/// <param name="Type">The declared type (string, integer, boolean): how a plain value is written.</param>
public sealed record ConfigEdit(string Key, ConfigEditKind Kind, string? Value, string Type = "string")
{
    /// <summary>For the operator: the value, or [secret] for a secure one.</summary>
    public string Shown => Kind switch
    {
        ConfigEditKind.Set => $"{Key}: {Value}",
        ConfigEditKind.SetSecure => $"{Key}: [secret]",
        _ => $"{Key}: removed (its Pulumi.yaml default applies)",
    };
}
