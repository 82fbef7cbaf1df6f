using System.Security.Cryptography;
using System.Text;

namespace Resilience.Secrets;

/// <summary>
/// Pulumi's passphrase crypter: AES-256-GCM under a PBKDF2-HMAC-SHA256 key, values written as
/// "v1:&lt;nonce base64&gt;:&lt;ciphertext+tag base64&gt;" with a 12-byte random nonce and the 16-byte tag appended.
/// </summary>
public sealed class PassphraseCrypter
{
    public const int NonceBytes = 12;
    public const int TagBytes = 16;
    private const string Version = "v1";

    private readonly byte[] _key;

    public PassphraseCrypter(ReadOnlySpan<byte> key)
    {
        if (key.Length != DerivedKeyCache.KeyBytes)
        {
            throw new ArgumentException($"the key must be {DerivedKeyCache.KeyBytes} bytes, not {key.Length}", nameof(key));
        }
        _key = key.ToArray();
    }

    /// <summary>Derives the key (once per process for the same passphrase and salt, through the cache).</summary>
    public static PassphraseCrypter FromPassphrase(string passphrase, ReadOnlySpan<byte> salt, DerivedKeyCache? cache = null) =>
        new((cache ?? DerivedKeyCache.Shared).GetOrDerive(passphrase, salt));

    public string Encrypt(string plaintext)
    {
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var sealedBytes = new byte[plain.Length + TagBytes];
        using (var aes = new AesGcm(_key, TagBytes))
        {
            aes.Encrypt(nonce, plain, sealedBytes.AsSpan(0, plain.Length), sealedBytes.AsSpan(plain.Length));
        }
        return $"{Version}:{Convert.ToBase64String(nonce)}:{Convert.ToBase64String(sealedBytes)}";
    }

    /// <exception cref="CorruptCiphertextException">malformed value, or the tag does not authenticate under this key</exception>
    public string Decrypt(string value)
    {
        var (nonce, sealedBytes) = Parse(value);
        var cipherLength = sealedBytes.Length - TagBytes;
        var plain = new byte[cipherLength];
        try
        {
            using var aes = new AesGcm(_key, TagBytes);
            aes.Decrypt(nonce, sealedBytes.AsSpan(0, cipherLength), sealedBytes.AsSpan(cipherLength), plain);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new CorruptCiphertextException("authentication failed: the value is damaged or was encrypted under another key");
        }
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>Checks the layout of a "v1:…" value without a key (no passphrase needed).</summary>
    /// <exception cref="CorruptCiphertextException">the value is not a well-formed v1 ciphertext</exception>
    public static void CheckFormat(string value) => Parse(value);

    private static (byte[] Nonce, byte[] Sealed) Parse(string value)
    {
        var parts = value.Split(':');
        if (parts.Length != 3) throw new CorruptCiphertextException("expected 'v1:<nonce>:<ciphertext>'");
        if (parts[0] != Version) throw new CorruptCiphertextException($"unknown ciphertext version '{parts[0]}'");
        var nonce = FromBase64(parts[1], "nonce");
        if (nonce.Length != NonceBytes) throw new CorruptCiphertextException($"the nonce is {nonce.Length} bytes, not {NonceBytes}");
        var sealedBytes = FromBase64(parts[2], "ciphertext");
        if (sealedBytes.Length < TagBytes) throw new CorruptCiphertextException("the ciphertext is shorter than its authentication tag");
        return (nonce, sealedBytes);
    }

    private static byte[] FromBase64(string text, string part)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new CorruptCiphertextException($"the {part} is not valid base64");
        }
    }
}
