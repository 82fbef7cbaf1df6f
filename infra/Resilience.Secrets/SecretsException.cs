namespace Resilience.Secrets;

/// <summary>A secret of a stack file cannot be read or written; the message names the stack file and the key.</summary>
public sealed class SecretsException : Exception
{
    public SecretsException(string stackFile, string key, string problem, Exception? inner = null)
        : base($"{stackFile}: '{key}': {problem}", inner)
    {
        StackFile = stackFile;
        Key = key;
        Problem = problem;
    }

    public string StackFile { get; }

    /// <summary>The config key whose secret was needed, or "encryptionsalt" / "secretsprovider".</summary>
    public string Key { get; }

    /// <summary>What is wrong, without the file and key.</summary>
    public string Problem { get; }
}
