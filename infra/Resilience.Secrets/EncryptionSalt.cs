using System.Security.Cryptography;

namespace Resilience.Secrets;

/// <summary>
/// A stack file's <c>encryptionsalt</c>: "v1:&lt;salt base64&gt;:&lt;the word pulumi, encrypted&gt;".
/// The encrypted word is how a passphrase is proven right before any secret is touched.
/// </summary>
public sealed class EncryptionSalt
{
    public const string CheckWord = "pulumi";
    public const int SaltBytes = 8;
    private const string Version = "v1";

    private readonly byte[] _salt;

    private EncryptionSalt(byte[] salt, string check)
    {
        _salt = salt;
        Check = check;
    }

    public ReadOnlySpan<byte> Salt => _salt;

    /// <summary>The "v1:&lt;nonce&gt;:&lt;ciphertext&gt;" of <see cref="CheckWord"/>.</summary>
    public string Check { get; }

    /// <exception cref="CorruptCiphertextException">the text is not a well-formed v1 encryption salt</exception>
    public static EncryptionSalt Parse(string text)
    {
        var parts = text.Split(':', 3);
        if (parts.Length != 3) throw new CorruptCiphertextException("expected 'v1:<salt>:v1:<nonce>:<ciphertext>'");
        if (parts[0] != Version) throw new CorruptCiphertextException($"unknown encryption salt version '{parts[0]}'");
        byte[] salt;
        try
        {
            salt = Convert.FromBase64String(parts[1]);
        }
        catch (FormatException)
        {
            throw new CorruptCiphertextException("the salt is not valid base64");
        }
        PassphraseCrypter.CheckFormat(parts[2]);
        return new EncryptionSalt(salt, parts[2]);
    }

    /// <summary>A fresh salt for a new stack (8 random bytes, as Pulumi makes them) and the crypter it unlocks.</summary>
    public static (EncryptionSalt Salt, PassphraseCrypter Crypter) Create(string passphrase, DerivedKeyCache? cache = null)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var crypter = PassphraseCrypter.FromPassphrase(passphrase, salt, cache);
        return (new EncryptionSalt(salt, crypter.Encrypt(CheckWord)), crypter);
    }

    /// <summary>The crypter for this stack, or null when the passphrase is not the one the salt was made with.</summary>
    public PassphraseCrypter? TryUnlock(string passphrase, DerivedKeyCache? cache = null)
    {
        var crypter = PassphraseCrypter.FromPassphrase(passphrase, _salt, cache);
        try
        {
            return crypter.Decrypt(Check) == CheckWord ? crypter : null;
        }
        catch (CorruptCiphertextException)
        {
            return null;
        }
    }

    public override string ToString() => $"{Version}:{Convert.ToBase64String(_salt)}:{Check}";
}
