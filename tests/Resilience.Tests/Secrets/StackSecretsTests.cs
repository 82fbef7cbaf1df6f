using Resilience.Secrets;

namespace Resilience.Tests.Secrets;

[Collection(PulumiVectorCollection.Name)]
public class StackSecretsTests(PulumiVector vector)
{
    private const string StackFile = "Pulumi.pc2.yaml";
    private const string Key = "resilience:grafana-password";

    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    private static readonly Func<string, string?> RightPassphrase = Env((PassphraseEnvironment.Variable, PulumiVector.Passphrase));

    private StackSecrets Open(Func<string, string?> env, string? salt = PulumiVector.EncryptionSalt) =>
        StackSecrets.Open(StackFile, salt, getVariable: env, cache: vector.Cache);

    [Fact]
    public void Decrypts_a_secure_value_of_the_stack()
    {
        var secure = vector.Crypter.Encrypt("hunter2");

        Assert.Equal("hunter2", Open(RightPassphrase).Decrypt(Key, secure));
    }

    [Fact]
    public void Opening_many_times_derives_no_new_key()
    {
        var before = vector.Cache.Derivations;
        var secure = vector.Crypter.Encrypt("x");

        for (var i = 0; i < 3; i++) Assert.Equal("x", Open(RightPassphrase).Decrypt(Key, secure));

        Assert.Equal(before, vector.Cache.Derivations);
    }

    [Fact]
    public void Wrong_passphrase_names_the_file_and_key()
    {
        var secrets = Open(Env((PassphraseEnvironment.Variable, PulumiVector.WrongPassphrase)));

        var e = Assert.Throws<SecretsException>(() => secrets.Decrypt(Key, vector.Crypter.Encrypt("x")));

        Assert.Contains(StackFile, e.Message);
        Assert.Contains(Key, e.Message);
        Assert.Contains("incorrect passphrase", e.Message);
        Assert.Equal(Key, e.Key);
    }

    [Fact]
    public void Missing_passphrase_names_both_variables_when_a_secret_is_needed()
    {
        var secrets = Open(Env());

        var e = Assert.Throws<SecretsException>(() => secrets.Decrypt(Key, vector.Crypter.Encrypt("x")));

        Assert.Contains(StackFile, e.Message);
        Assert.Contains(Key, e.Message);
        Assert.Contains("PULUMI_CONFIG_PASSPHRASE ", e.Message);
        Assert.Contains("PULUMI_CONFIG_PASSPHRASE_FILE", e.Message);
    }

    [Fact]
    public void Missing_passphrase_is_fine_while_no_secret_is_read()
    {
        var secrets = Open(Env());

        Assert.Equal(PulumiVector.EncryptionSalt, secrets.EncryptionSalt);
        Assert.False(secrets.EncryptionSaltCreated);
    }

    [Theory]
    [InlineData("v1:***:AAAAAAAAAAAAAAAAAAAAAA==", "nonce is not valid base64")]
    [InlineData("v1:AAAAAAAAAAAAAAAA:not base64!", "ciphertext is not valid base64")]
    [InlineData("plain text", "expected 'v1:<nonce>:<ciphertext>'")]
    public void Corrupt_ciphertext_names_the_key_even_without_a_passphrase(string secure, string reason)
    {
        var e = Assert.Throws<SecretsException>(() => Open(Env()).Decrypt(Key, secure));

        Assert.Contains(StackFile, e.Message);
        Assert.Contains(Key, e.Message);
        Assert.Contains("corrupt", e.Message);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void A_value_that_fails_its_tag_is_corrupt_and_names_the_key()
    {
        var parts = vector.Crypter.Encrypt("x").Split(':');
        var otherNonce = Convert.ToBase64String(new byte[12]);

        var e = Assert.Throws<SecretsException>(() => Open(RightPassphrase).Decrypt(Key, $"v1:{otherNonce}:{parts[2]}"));

        Assert.Contains(Key, e.Message);
        Assert.Contains("authentication failed", e.Message);
    }

    [Fact]
    public void Corrupt_encryption_salt_names_the_key_encryptionsalt()
    {
        var e = Assert.Throws<SecretsException>(() => Open(RightPassphrase, "v1:@@@:v1:F+6ZduKKd8G0/V7L:PGMFeIzwobWRKmEAzUdaQHqC5mMRIQ=="));

        Assert.Contains(StackFile, e.Message);
        Assert.Equal("encryptionsalt", e.Key);
        Assert.Contains("salt is not valid base64", e.Message);
    }

    [Fact]
    public void A_secure_value_without_an_encryption_salt_is_refused()
    {
        var e = Assert.Throws<SecretsException>(() => Open(RightPassphrase, salt: null).Decrypt(Key, vector.Crypter.Encrypt("x")));

        Assert.Contains(Key, e.Message);
        Assert.Contains("no 'encryptionsalt'", e.Message);
    }

    [Fact]
    public void Other_secrets_providers_are_refused()
    {
        var e = Assert.Throws<SecretsException>(() =>
            StackSecrets.Open(StackFile, null, "awskms://alias/x", RightPassphrase, vector.Cache));

        Assert.Equal("secretsprovider", e.Key);
        Assert.Contains("awskms://alias/x", e.Message);
    }

    [Fact]
    public void Passphrase_file_is_read_and_its_surrounding_whitespace_trimmed()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, PulumiVector.Passphrase + "\n");
            var secrets = Open(Env((PassphraseEnvironment.FileVariable, file)));

            Assert.Equal("x", secrets.Decrypt(Key, vector.Crypter.Encrypt("x")));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Unreadable_passphrase_file_names_the_variable_file_and_key()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-passphrase-{Guid.NewGuid():N}");
        var secrets = Open(Env((PassphraseEnvironment.FileVariable, missing)));

        var e = Assert.Throws<SecretsException>(() => secrets.Decrypt(Key, vector.Crypter.Encrypt("x")));

        Assert.Contains(StackFile, e.Message);
        Assert.Contains(Key, e.Message);
        Assert.Contains("PULUMI_CONFIG_PASSPHRASE_FILE", e.Message);
    }

    [Fact]
    public void Passphrase_variable_wins_over_the_file_and_may_be_empty()
    {
        Assert.Equal("a", PassphraseEnvironment.Read(Env((PassphraseEnvironment.Variable, "a"), (PassphraseEnvironment.FileVariable, "/nonexistent"))));
        Assert.Equal("", PassphraseEnvironment.Read(Env((PassphraseEnvironment.Variable, ""))));
        Assert.Null(PassphraseEnvironment.Read(Env((PassphraseEnvironment.FileVariable, ""))));
        Assert.Null(PassphraseEnvironment.Read(Env()));
    }

    [Fact]
    public void A_new_stack_gets_an_encryption_salt_that_later_runs_unlock()
    {
        var cache = new DerivedKeyCache();
        var env = Env((PassphraseEnvironment.Variable, "new stack passphrase"));
        var secrets = StackSecrets.Open(StackFile, null, getVariable: env, cache: cache);

        var first = secrets.Encrypt(Key, "one");
        var second = secrets.Encrypt("resilience:other", "two");

        Assert.True(secrets.EncryptionSaltCreated);
        var salt = EncryptionSalt.Parse(secrets.EncryptionSalt!);
        Assert.Equal(8, salt.Salt.Length);
        var reopened = StackSecrets.Open(StackFile, secrets.EncryptionSalt, getVariable: env, cache: cache);
        Assert.Equal("one", reopened.Decrypt(Key, first));
        Assert.Equal("two", reopened.Decrypt("resilience:other", second));
        Assert.Equal(1, cache.Derivations);
    }
}
