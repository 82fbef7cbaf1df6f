using System.Text.Json.Nodes;

namespace Resilience.Stack.Config;

/// <summary>One config value with where it came from, so every error can point at the file and line.</summary>
/// <param name="Value">Scalars as JSON strings/numbers/booleans; lists and maps as JSON arrays/objects.</param>
/// <param name="Ciphertext">For a `secure:` value: the ciphertext as written; Value is then null until decrypted.</param>
public sealed record ConfigValue(string Key, JsonNode? Value, string File, int Line, string? Ciphertext = null)
{
    public bool IsSecure => Ciphertext is not null;
    public string Where => Line > 0 ? $"line {Line}: {Key}" : Key;
}
