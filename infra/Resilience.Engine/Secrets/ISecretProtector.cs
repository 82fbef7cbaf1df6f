namespace Resilience.Engine.Secrets;

/// <summary>Encrypts secret values before the engine stores them (checkpoint, history).</summary>
public interface ISecretProtector
{
    string Protect(string plaintext);

    string Unprotect(string ciphertext);
}
