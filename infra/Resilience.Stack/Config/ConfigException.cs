namespace Resilience.Stack.Config;

/// <summary>A mistake in the operator's files: names the file and the key or line. The CLI exits 2 on it.</summary>
public sealed class ConfigException(string file, string where, string problem) : Exception($"{file}: {where}: {problem}")
{
    public string File { get; } = file;
    public string Where { get; } = where;
    public string Problem { get; } = problem;
}
