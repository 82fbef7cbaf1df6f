using System.Text.Json.Nodes;
using Resilience.Model;

namespace Resilience.Engine.Secrets;

/// <summary>
/// Turns wrapped secrets (<c>{"$secret": …}</c>) into their stored form and back. With a protector a secret is
/// stored as <c>{"$encrypted": …}</c>; without one as <c>{"$fingerprint": …}</c>, which cannot be decrypted: the
/// engine restores such a value only from a desired secret whose fingerprint matches.
/// </summary>
public sealed class SecretCodec(ISecretProtector? protector)
{
    public const string EncryptedKey = "$encrypted";
    public const string FingerprintKey = "$fingerprint";

    public bool CanDecrypt => protector is not null;

    public static bool IsEncrypted(JsonNode? node) => IsMarker(node, EncryptedKey);

    public static bool IsFingerprint(JsonNode? node) => IsMarker(node, FingerprintKey);

    /// <summary>True for a wrapped secret in any of its forms: plain, encrypted or fingerprinted.</summary>
    public static bool IsAnySecret(JsonNode? node) => Secret.IsSecret(node) || IsEncrypted(node) || IsFingerprint(node);

    /// <summary>A deep copy safe to write to disk: no secret plaintext left.</summary>
    public JsonObject Encode(JsonObject node) => (JsonObject)Encode((JsonNode)node)!;

    public JsonNode? Encode(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o when Secret.IsSecret(o) => Store(Secret.Reveal(o)!),
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Encode(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Encode).ToArray()),
        _ => node.DeepClone(),
    };

    /// <summary>
    /// A deep copy of stored values with secrets wrapped again. A fingerprint becomes the secret at the same
    /// place in <paramref name="hint"/> when their fingerprints match; otherwise it stays a fingerprint marker,
    /// which compares unequal to any secret (so a changed secret shows as a change without revealing it).
    /// </summary>
    public JsonObject Decode(JsonObject stored, JsonObject? hint = null) => (JsonObject)Decode(stored, (JsonNode?)hint)!;

    public JsonNode? Decode(JsonNode? stored, JsonNode? hint)
    {
        switch (stored)
        {
            case null:
                return null;
            case JsonObject o when IsEncrypted(o):
                if (protector is null)
                {
                    throw new InvalidOperationException(
                        "the state holds encrypted secrets but no secret protector was given (set the stack's passphrase)");
                }
                return Secret.Wrap(protector.Unprotect(o[EncryptedKey]!.GetValue<string>()));
            case JsonObject o when IsFingerprint(o):
                return Secret.IsSecret(hint) && Secret.Fingerprint(Secret.Reveal(hint)!) == o[FingerprintKey]!.GetValue<string>()
                    ? hint!.DeepClone()
                    : o.DeepClone();
            case JsonObject o:
                var hintObject = hint as JsonObject;
                return new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Decode(p.Value, hintObject?[p.Key]))));
            case JsonArray a:
                var hintArray = hint as JsonArray;
                return new JsonArray(a.Select((item, i) => Decode(item, hintArray is not null && i < hintArray.Count ? hintArray[i] : null)).ToArray());
            default:
                return stored.DeepClone();
        }
    }

    /// <summary>A form for equality checks: every secret, whatever its form, becomes its fingerprint.</summary>
    public JsonNode? Comparable(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o when Secret.IsSecret(o) => Fingerprinted(Secret.Reveal(o)!),
        JsonObject o when IsEncrypted(o) && protector is not null => Fingerprinted(protector.Unprotect(o[EncryptedKey]!.GetValue<string>())),
        JsonObject o when IsEncrypted(o) || IsFingerprint(o) => o.DeepClone(),
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Comparable(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Comparable).ToArray()),
        _ => node.DeepClone(),
    };

    public bool SameValue(JsonNode? a, JsonNode? b) => JsonNode.DeepEquals(Comparable(a), Comparable(b));

    /// <summary>A deep copy safe to print: secrets in any form become the mask.</summary>
    public static JsonNode? Masked(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o when IsAnySecret(o) => JsonValue.Create(Secret.Mask),
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Masked(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Masked).ToArray()),
        _ => node.DeepClone(),
    };

    /// <summary>True when a fingerprint is left: the plaintext of that secret cannot be recovered.</summary>
    public static bool HasFingerprints(JsonNode? node) => node switch
    {
        JsonObject o when IsFingerprint(o) => true,
        JsonObject o => o.Any(p => HasFingerprints(p.Value)),
        JsonArray a => a.Any(HasFingerprints),
        _ => false,
    };

    private JsonObject Store(string plaintext) => protector is null
        ? Fingerprinted(plaintext)
        : new JsonObject { [EncryptedKey] = protector.Protect(plaintext) };

    private static JsonObject Fingerprinted(string plaintext) => new() { [FingerprintKey] = Secret.Fingerprint(plaintext) };

    private static bool IsMarker(JsonNode? node, string key) =>
        node is JsonObject o && o.Count == 1 && o[key] is JsonValue v && v.TryGetValue<string>(out _);
}
