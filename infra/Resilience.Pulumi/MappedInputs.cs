using Resilience.Contracts;
using Resilience.Model;

namespace Resilience.Pulumi;

/// <summary>
/// The inputs of a contract record that a Pulumi mapping carries, named by their members. Fail-closed: a resource
/// with any other input (or invalid inputs) is refused instead of being deployed without it.
/// </summary>
internal sealed class MappedInputs<T> where T : class
{
    private static readonly ResourceContract Contract = ResourceContract.Of<T>();
    private readonly HashSet<string> _keys;

    public MappedInputs(params string[] members) => _keys = members.Select(Contract.Key).ToHashSet(StringComparer.Ordinal);

    private MappedInputs(IEnumerable<string> keys, bool _) => _keys = keys.ToHashSet(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Keys => _keys;

    /// <summary>The mapped inputs marked [ReplaceOnChange], in the contract's order.</summary>
    public IReadOnlyList<string> ReplaceKeys => Contract.ReplaceKeys.Where(_keys.Contains).ToList();

    public MappedInputs<T> With(params string[] members) => new(_keys.Concat(members.Select(Contract.Key)), true);

    /// <summary>The valid inputs as the record; throws naming the inputs this mapping does not carry.</summary>
    public T Read(Resource r)
    {
        var unknown = r.Inputs.Select(p => p.Key).Where(k => !_keys.Contains(k)).ToList();
        if (unknown.Count > 0) throw new InvalidOperationException($"{r.Urn}: no Pulumi mapping for input(s) {string.Join(", ", unknown)}");
        var read = ContractJson.Read<T>(r.Inputs);
        return read.Ok ? read.Value : throw new InvalidOperationException($"{r.Urn}: {string.Join("; ", read.Failures)}");
    }
}
