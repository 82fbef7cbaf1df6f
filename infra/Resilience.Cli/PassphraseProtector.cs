using Resilience.Engine.Secrets;
using Resilience.Secrets;
using Resilience.Stack.Config;

namespace Resilience.Cli;

/// <summary>Encrypts secrets in state and history with the stack's own passphrase provider, as Pulumi does.</summary>
public sealed class PassphraseProtector(StackSecrets secrets) : ISecretProtector
{
    private const string StateKey = "state";

    public string Protect(string plaintext) => secrets.Encrypt(StateKey, plaintext);

    public string Unprotect(string ciphertext) => secrets.Decrypt(StateKey, ciphertext);

    /// <summary>A protector for a stack that has secrets (an encryption salt); null for one that has none.</summary>
    public static PassphraseProtector? For(StackConfig config) => config.EncryptionSalt is null
        ? null
        : new PassphraseProtector(StackSecrets.Open(config.StackFile, config.EncryptionSalt, config.SecretsProvider));
}
