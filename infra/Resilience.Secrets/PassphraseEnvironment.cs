namespace Resilience.Secrets;

/// <summary>Finds the passphrase the way the Pulumi CLI does, from the same environment variables.</summary>
public static class PassphraseEnvironment
{
    public const string Variable = "PULUMI_CONFIG_PASSPHRASE";
    public const string FileVariable = "PULUMI_CONFIG_PASSPHRASE_FILE";

    /// <summary>
    /// PULUMI_CONFIG_PASSPHRASE when set (even empty, as Pulumi allows), else the content of the file named by
    /// PULUMI_CONFIG_PASSPHRASE_FILE with surrounding whitespace trimmed (Pulumi applies Go's strings.TrimSpace,
    /// so a file written with a trailing newline yields the same passphrase in both tools); null when neither is set.
    /// </summary>
    /// <param name="getVariable">Reads one environment variable; defaults to the process environment.</param>
    /// <exception cref="IOException">the passphrase file cannot be read</exception>
    /// <exception cref="UnauthorizedAccessException">the passphrase file is not readable by this user</exception>
    public static string? Read(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        if (getVariable(Variable) is { } phrase) return phrase;
        if (getVariable(FileVariable) is { Length: > 0 } file) return File.ReadAllText(Path.GetFullPath(file)).Trim();
        return null;
    }
}
