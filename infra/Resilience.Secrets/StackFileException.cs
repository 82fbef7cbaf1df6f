namespace Resilience.Secrets;

/// <summary>A stack file cannot be edited as asked; the message names the file and, when there is one, the key or line.</summary>
public sealed class StackFileException(string stackFile, string problem, Exception? inner = null)
    : Exception($"{stackFile}: {problem}", inner)
{
    public string StackFile { get; } = stackFile;

    /// <summary>What is wrong, without the file: "line N: …" when a line is at fault.</summary>
    public string Problem { get; } = problem;
}
