using System.Security.Cryptography;
using System.Text;
using Resilience.Secrets;
using Xunit.Abstractions;

namespace Resilience.Tests.Secrets;

[Collection(PulumiVectorCollection.Name)]
public class PassphraseCrypterTests(PulumiVector vector, ITestOutputHelper output)
{
    [Fact]
    public void Known_vector_unlocks_with_its_passphrase()
    {
        output.WriteLine($"PBKDF2-HMAC-SHA256, 1,000,000 iterations: {vector.FirstDerivation.TotalMilliseconds:F0} ms");
        var salt = EncryptionSalt.Parse(PulumiVector.EncryptionSalt);

        var crypter = salt.TryUnlock(PulumiVector.Passphrase, vector.Cache);

        Assert.NotNull(crypter);
        Assert.Equal("pulumi", crypter.Decrypt(salt.Check));
        Assert.Equal(PulumiVector.EncryptionSalt, salt.ToString());
    }

    [Fact]
    public void Known_vector_refuses_another_passphrase()
    {
        var salt = EncryptionSalt.Parse(PulumiVector.EncryptionSalt);

        Assert.Null(salt.TryUnlock(PulumiVector.WrongPassphrase, vector.Cache));
    }

    [Fact]
    public void Derived_key_opens_the_vector_with_a_plain_AES_GCM_call()
    {
        // Pulumi made this ciphertext: decrypting it with nothing but the BCL proves the derivation parameters.
        var sealedBytes = Convert.FromBase64String("PGMFeIzwobWRKmEAzUdaQHqC5mMRIQ==");
        var plain = new byte[sealedBytes.Length - 16];
        using var aes = new AesGcm(vector.Key, 16);

        aes.Decrypt(Convert.FromBase64String("F+6ZduKKd8G0/V7L"), sealedBytes[..^16], sealedBytes[^16..], plain);

        Assert.Equal("pulumi", Encoding.UTF8.GetString(plain));
    }

    [Theory]
    [InlineData("hunter2")]
    [InlineData("")]
    [InlineData("pässwörd ✓ with: colons and \"quotes\"\nand lines")]
    public void Encrypt_then_decrypt_returns_the_plaintext(string plaintext)
    {
        var crypter = vector.Crypter;

        var value = crypter.Encrypt(plaintext);

        Assert.StartsWith("v1:", value);
        Assert.Equal(plaintext, crypter.Decrypt(value));
    }

    [Fact]
    public void Each_encryption_uses_a_fresh_nonce()
    {
        var crypter = vector.Crypter;

        Assert.NotEqual(crypter.Encrypt("same"), crypter.Encrypt("same"));
    }

    [Fact]
    public void Encrypted_value_is_nonce_then_ciphertext_with_the_tag_appended()
    {
        const string plaintext = "s3cret-value";
        var parts = vector.Crypter.Encrypt(plaintext).Split(':');
        var nonce = Convert.FromBase64String(parts[1]);
        var sealedBytes = Convert.FromBase64String(parts[2]);
        var plain = new byte[sealedBytes.Length - 16];

        using var aes = new AesGcm(vector.Key, 16);
        aes.Decrypt(nonce, sealedBytes[..^16], sealedBytes[^16..], plain);

        Assert.Equal(3, parts.Length);
        Assert.Equal(12, nonce.Length);
        Assert.Equal(Encoding.UTF8.GetByteCount(plaintext) + 16, sealedBytes.Length);
        Assert.Equal(plaintext, Encoding.UTF8.GetString(plain));
    }

    [Theory]
    [InlineData("v1:abc", "expected")]
    [InlineData("v2:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA==", "version")]
    [InlineData("v1:not*base64:AAAAAAAAAAAAAAAAAAAAAA==", "nonce is not valid base64")]
    [InlineData("v1:AAAAAAAAAAAAAAAA:%%%", "ciphertext is not valid base64")]
    [InlineData("v1:AAAA:AAAAAAAAAAAAAAAAAAAAAA==", "nonce is 3 bytes")]
    [InlineData("v1:AAAAAAAAAAAAAAAA:AAAA", "shorter than its authentication tag")]
    public void Malformed_values_are_refused_with_the_reason(string value, string reason)
    {
        var e = Assert.Throws<CorruptCiphertextException>(() => vector.Crypter.Decrypt(value));

        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void A_changed_byte_fails_authentication()
    {
        var parts = vector.Crypter.Encrypt("value").Split(':');
        var sealedBytes = Convert.FromBase64String(parts[2]);
        sealedBytes[0] ^= 1;
        var tampered = $"v1:{parts[1]}:{Convert.ToBase64String(sealedBytes)}";

        var e = Assert.Throws<CorruptCiphertextException>(() => vector.Crypter.Decrypt(tampered));

        Assert.Contains("authentication failed", e.Message);
    }

    [Fact]
    public void Keys_are_derived_once_per_passphrase_and_salt()
    {
        var before = vector.Cache.Derivations;

        var first = PassphraseCrypter.FromPassphrase(PulumiVector.Passphrase, PulumiVector.Salt, vector.Cache);
        var second = PassphraseCrypter.FromPassphrase(PulumiVector.Passphrase, PulumiVector.Salt, vector.Cache);

        Assert.Equal(before, vector.Cache.Derivations);
        Assert.Equal("x", second.Decrypt(first.Encrypt("x")));
    }
}
