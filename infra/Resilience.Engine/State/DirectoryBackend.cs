using System.Text.RegularExpressions;

namespace Resilience.Engine.State;

/// <summary>
/// Keeps every stack's state under one directory: <c>&lt;root&gt;/&lt;stack&gt;/checkpoint.json</c>, <c>lock.json</c>
/// and <c>history/&lt;n&gt;.json</c>.
/// </summary>
public sealed partial class DirectoryBackend
{
    public DirectoryBackend(string path)
    {
        Root = Path.GetFullPath(path);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public IEnumerable<string> Stacks() =>
        Directory.EnumerateDirectories(Root).Select(Path.GetFileName).OfType<string>().Where(IsValidStackName).Order(StringComparer.Ordinal);

    public string StackDirectory(string stack)
    {
        if (!IsValidStackName(stack))
        {
            throw new ArgumentException($"stack name '{stack}' is not valid: use letters, digits, '.', '_' and '-'", nameof(stack));
        }
        return Path.Combine(Root, stack);
    }

    public string CheckpointPath(string stack) => Path.Combine(StackDirectory(stack), "checkpoint.json");

    public string LockPath(string stack) => Path.Combine(StackDirectory(stack), "lock.json");

    public string HistoryDirectory(string stack) => Path.Combine(StackDirectory(stack), "history");

    public static bool IsValidStackName(string stack) => StackName().IsMatch(stack);

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$")]
    private static partial Regex StackName();
}
