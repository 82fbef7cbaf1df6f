using Resilience.Secrets;
using Resilience.Security.Passwords;

namespace Resilience.Cli;

/// <summary>
/// The passphrase of a machine where none was configured: made once, when the tool first has to write a secret into
/// stack files that have none yet (the TLS material of a fresh checkout), as <c>.resilience/passphrase</c> (0600,
/// git-ignored) in the project; from then on it is used whenever neither PULUMI_CONFIG_PASSPHRASE nor
/// PULUMI_CONFIG_PASSPHRASE_FILE is set. A passphrase set by the operator always wins, and none is ever made for
/// stack files that already hold secrets (they were encrypted with a passphrase the operator has).
/// </summary>
public static class LocalPassphrase
{
    public static string PathIn(string projectDir) => Path.Combine(projectDir, ".resilience", "passphrase");

    public static bool Configured(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        return getVariable(PassphraseEnvironment.Variable) is not null || getVariable(PassphraseEnvironment.FileVariable) is { Length: > 0 };
    }

    /// <summary>Points PULUMI_CONFIG_PASSPHRASE_FILE at the project's generated passphrase when nothing else is set.</summary>
    public static void UseIfPresent()
    {
        if (Configured()) return;
        string projectDir;
        try
        {
            projectDir = ProjectContext.Discover().Directory;
        }
        catch (UsageException)
        {
            return;
        }
        if (File.Exists(PathIn(projectDir))) Environment.SetEnvironmentVariable(PassphraseEnvironment.FileVariable, PathIn(projectDir));
    }

    /// <summary>Makes the passphrase when none is configured and none of <paramref name="stackFiles"/> holds secrets yet;
    /// the path when it made one, else null.</summary>
    /// <param name="getVariable">Reads the passphrase variables; defaults to the process environment.</param>
    public static string? EnsureFor(string projectDir, IEnumerable<string> stackFiles, Func<string, string?>? getVariable = null)
    {
        if (Configured(getVariable)) return null;
        if (stackFiles.Any(f => StackFileEditor.Load(f).EncryptionSalt is not null)) return null;
        var path = PathIn(projectDir);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var stream = new FileStream(path, new FileStreamOptions
        { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(Credential.RandomPassword(40) + "\n");
        }
        Environment.SetEnvironmentVariable(PassphraseEnvironment.FileVariable, path);
        return path;
    }
}
