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
                var prefix = $"{e.StackFile}: '{e.Key}': ";
                var problem = e.Message.StartsWith(prefix, StringComparison.Ordinal) ? e.Message[prefix.Length..] : e.Message;
                throw new ConfigException(e.StackFile, value.Where, problem);
            }
        };
    }
}
