namespace Resilience.Engine.State;

/// <summary>
/// A state file the engine cannot trust (truncated, not JSON, failing its integrity check): names the file, what is
/// wrong with it and what the operator can do. Nothing was changed.
/// </summary>
public sealed class StateDamagedException(string path, string problem, string wayOut)
    : Exception($"{path}: {problem}. {wayOut}")
{
    public string Path { get; } = path;
    public string Problem { get; } = problem;
    public string WayOut { get; } = wayOut;
}
