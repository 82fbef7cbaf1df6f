namespace Resilience.Pulumi;

/// <summary>
/// The sub-commands of our own CLI that the `command:local:Command` resources run, and the environment variables
/// they read. Content and secrets travel only in the environment, never on a command line. Exit codes: 0 done
/// (including "nothing to change" and "already gone"), 2 a refusal the operator must fix, anything else a failure.
/// </summary>
public static class CliContract
{
    /// <summary>The launcher at the project root; Pulumi runs commands from the project directory.</summary>
    public const string Launcher = "./resilience";

    public const string HostFileWrite = Launcher + " host-file write";
    public const string HostFileDelete = Launcher + " host-file delete";

    /// <summary>Absolute path of the host file.</summary>
    public const string FilePathVariable = "RESILIENCE_FILE_PATH";

    /// <summary>Octal permission bits, e.g. "0644".</summary>
    public const string FileModeVariable = "RESILIENCE_FILE_MODE";
    public const string FileValidatorVariable = "RESILIENCE_FILE_VALIDATE";
    public const string FileTemplateVariable = "RESILIENCE_FILE_TEMPLATE";

    /// <summary>Numeric "uid:gid" the file is given to (unset: whoever runs the command).</summary>
    public const string FileOwnerVariable = "RESILIENCE_FILE_OWNER";

    /// <summary>Carried so that Pulumi sees a change; the Pulumi path keeps no original (pulumi-command has no state to hold it).</summary>
    public const string FileTakeoverVariable = "RESILIENCE_FILE_TAKEOVER";

    /// <summary>The file's full content (a Pulumi secret when the content is one).</summary>
    public const string FileContentVariable = "RESILIENCE_FILE_CONTENT";

    /// <summary>`jetstream apply stream|consumer` creates or updates in place; a second run changes nothing.</summary>
    public static string JetStreamApply(string kind) => $"{Launcher} jetstream apply {kind}";

    /// <summary>`jetstream delete stream|consumer` deletes; succeeds when it is already gone.</summary>
    public static string JetStreamDelete(string kind) => $"{Launcher} jetstream delete {kind}";

    /// <summary>The resource's inputs as JSON, exactly as the embedded engine's jetstream provider receives them.</summary>
    public const string SpecVariable = "RESILIENCE_SPEC";
}
