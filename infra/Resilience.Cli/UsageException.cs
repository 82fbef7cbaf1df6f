namespace Resilience.Cli;

/// <summary>
/// The command line cannot be carried out as given: an option or environment variable missing, malformed or
/// naming something that does not exist. Nothing was changed; the CLI exits 2.
/// </summary>
/// <param name="subject">What the operator gave or must give (an option such as --to, a variable); null when it is the command as a whole.</param>
public sealed class UsageException(string? subject, string problem) : Exception(subject is null ? problem : $"{subject}: {problem}")
{
    public string? Subject { get; } = subject;
    public string Problem { get; } = problem;
}
