namespace Resilience.Secrets;

/// <summary>
/// The secrets of one stack file under the passphrase provider. The passphrase is looked up and the key derived
/// only when a secret is first needed, and only once; every failure is a <see cref="SecretsException"/> naming
/// the stack file and the key.
/// </summary>
public sealed class StackSecrets
{
    public const string EncryptionSaltKey = "encryptionsalt";
    public const string SecretsProviderKey = "secretsprovider";

    private readonly Func<string, string?>? _getVariable;
    private readonly DerivedKeyCache? _cache;
    private readonly Lock _gate = new();
    private EncryptionSalt? _salt;
    private PassphraseCrypter? _crypter;

    private StackSecrets(string stackFile, EncryptionSalt? salt, Func<string, string?>? getVariable, DerivedKeyCache? cache)
    {
        StackFile = stackFile;
        _salt = salt;
        _getVariable = getVariable;
        _cache = cache;
    }

    public string StackFile { get; }

    /// <summary>The stack's encryptionsalt, as it must appear in the stack file (null until a stack has a secret).</summary>
    public string? EncryptionSalt => _salt?.ToString();

    /// <summary>True once <see cref="Encrypt"/> made a new encryptionsalt that the stack file must now record.</summary>
    public bool EncryptionSaltCreated { get; private set; }

    /// <param name="stackFile">Path of Pulumi.&lt;stack&gt;.yaml, used in messages.</param>
    /// <param name="encryptionSalt">The file's top-level encryptionsalt value, null when it has none.</param>
    /// <param name="secretsProvider">The file's top-level secretsprovider value, null when it has none.</param>
    /// <param name="getVariable">Reads an environment variable; defaults to the process environment.</param>
    /// <param name="cache">Where derived keys are kept; defaults to the process-wide cache.</param>
    public static StackSecrets Open(
        string stackFile,
        string? encryptionSalt,
        string? secretsProvider = null,
        Func<string, string?>? getVariable = null,
        DerivedKeyCache? cache = null)
    {
        if (secretsProvider is not null && secretsProvider != "passphrase")
        {
            throw new SecretsException(stackFile, SecretsProviderKey,
                $"secrets provider '{secretsProvider}' is not supported; only the passphrase provider is");
        }
        if (encryptionSalt is null) return new StackSecrets(stackFile, null, getVariable, cache);
        try
        {
            return new StackSecrets(stackFile, Secrets.EncryptionSalt.Parse(encryptionSalt), getVariable, cache);
        }
        catch (CorruptCiphertextException e)
        {
            throw new SecretsException(stackFile, EncryptionSaltKey, $"the encryption salt is corrupt: {e.Message}", e);
        }
    }

    /// <summary>The plaintext of the <c>secure:</c> value of config key <paramref name="key"/>.</summary>
    public string Decrypt(string key, string secureValue)
    {
        try
        {
            PassphraseCrypter.CheckFormat(secureValue);
        }
        catch (CorruptCiphertextException e)
        {
            throw Corrupt(key, e);
        }
        var crypter = Unlock(key, createSaltIfMissing: false);
        try
        {
            return crypter.Decrypt(secureValue);
        }
        catch (CorruptCiphertextException e)
        {
            throw Corrupt(key, e);
        }
    }

    /// <summary>
    /// The "v1:…" ciphertext to store as the <c>secure:</c> value of <paramref name="key"/>. A stack without an
    /// encryptionsalt gets a new one (see <see cref="EncryptionSaltCreated"/>).
    /// </summary>
    public string Encrypt(string key, string plaintext) => Unlock(key, createSaltIfMissing: true).Encrypt(plaintext);

    private PassphraseCrypter Unlock(string key, bool createSaltIfMissing)
    {
        lock (_gate)
        {
            if (_crypter is not null) return _crypter;
            if (_salt is null && !createSaltIfMissing)
            {
                throw new SecretsException(StackFile, key,
                    $"has a secure value but the stack file has no '{EncryptionSaltKey}' to decrypt it with");
            }
            var passphrase = ReadPassphrase(key);
            if (_salt is null)
            {
                (_salt, _crypter) = Secrets.EncryptionSalt.Create(passphrase, _cache);
                EncryptionSaltCreated = true;
                return _crypter;
            }
            _crypter = _salt.TryUnlock(passphrase, _cache) ?? throw new SecretsException(StackFile, key,
                $"incorrect passphrase: it does not unlock the stack's '{EncryptionSaltKey}' " +
                $"(check {PassphraseEnvironment.Variable} / {PassphraseEnvironment.FileVariable})");
            return _crypter;
        }
    }

    private string ReadPassphrase(string key)
    {
        string? passphrase;
        try
        {
            passphrase = PassphraseEnvironment.Read(_getVariable);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SecretsException(StackFile, key,
                $"cannot read the passphrase file named by {PassphraseEnvironment.FileVariable}: {e.Message}", e);
        }
        return passphrase ?? throw new SecretsException(StackFile, key,
            $"is a secret but no passphrase is set: set {PassphraseEnvironment.Variable} " +
            $"or {PassphraseEnvironment.FileVariable}");
    }

    private SecretsException Corrupt(string key, CorruptCiphertextException e) =>
        new(StackFile, key, $"the secure value is corrupt: {e.Message}", e);
}
