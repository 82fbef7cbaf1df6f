using Resilience.Model;

namespace Resilience.Contracts;

/// <summary>Collects the problems of one input record, named by their JSON path ("sources[0].name").</summary>
public sealed class InputFailures
{
    private readonly List<CheckFailure> _all;
    private readonly string _path;
    private readonly ResourceContract _contract;

    public InputFailures(Type record) : this([], "", ResourceContract.Of(record))
    {
    }

    private InputFailures(List<CheckFailure> all, string path, ResourceContract contract)
    {
        _all = all;
        _path = path;
        _contract = contract;
    }

    public IReadOnlyList<CheckFailure> All => _all;

    public int Count => _all.Count;

    /// <summary>A problem with the member named <paramref name="member"/> (its C# name: nameof), under an optional sub-path (".key", "[2]").</summary>
    public void Add(string member, string reason, string subPath = "") => AddAt(_contract.Key(member) + subPath, reason);

    internal void AddAt(string relativePath, string reason) => _all.Add(new CheckFailure(Join(_path, relativePath), reason));

    internal InputFailures Nested(string relativePath, Type record) => new(_all, Join(_path, relativePath), ResourceContract.Of(record));

    private static string Join(string path, string relative) =>
        path.Length == 0 ? relative : relative.StartsWith('[') ? path + relative : $"{path}.{relative}";
}

/// <summary>A record whose inputs have rules beyond their types (ranges, absolute paths, names): checked right after reading.</summary>
public interface IValidatedInputs
{
    /// <summary>Adds one failure per broken rule. Members that failed to read hold their defaults (null), so rules skip them.</summary>
    void Validate(InputFailures failures);
}
