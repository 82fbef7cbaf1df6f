namespace Resilience.Contracts.Files;

/// <summary>The values of <see cref="FileInputs.Takeover"/>.</summary>
public static class FileTakeover
{
    /// <summary>Keep a file the tool did not write, put it back on delete.</summary>
    public const string Keep = "keep";

    /// <summary>As <see cref="Keep"/>, and while it is kept it is what the file holds (the machine's own Phase 1 config).</summary>
    public const string Restore = "restore";
}
