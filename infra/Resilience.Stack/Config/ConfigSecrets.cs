using Resilience.Secrets;

namespace Resilience.Stack.Config;

/// <summary>Decrypts `secure:` config values with Pulumi's passphrase provider, reporting failures as config errors.</summary>
public static class ConfigSecrets
{
    public static Func<ConfigValue, string> Decrypter(StackConfig config, Func<string, string?>? getVariable = null)
    {
        StackSecrets? secrets = null;
        return value =>
        {
            try
            {
                secrets ??= StackSecrets.Open(config.StackFile, config.EncryptionSalt, config.SecretsProvider, getVariable);
                return secrets.Decrypt(value.Key, value.Ciphertext!);
            }
            catch (SecretsException e)
            {
                throw new ConfigException(e.StackFile, value.Where, e.Problem);
            }
        };
    }
}
