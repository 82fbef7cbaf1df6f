namespace Resilience.Model;

/// <summary>The desired state of one stack: resources in a valid dependency order, plus the stack's outputs.</summary>
public sealed class ResourceGraph
{
    private readonly Dictionary<string, Resource> _byUrn;

    public ResourceGraph(string stack, IEnumerable<Resource> resources, IReadOnlyDictionary<string, StackOutput>? outputs = null,
        IReadOnlyList<string>? warnings = null, IReadOnlyList<DataPath>? dataPaths = null)
    {
        Stack = stack;
        Resources = resources.ToList();
        Outputs = outputs ?? new Dictionary<string, StackOutput>();
        Warnings = warnings ?? [];
        DataPaths = dataPaths ?? [];
        _byUrn = new Dictionary<string, Resource>(StringComparer.Ordinal);
        foreach (var r in Resources)
        {
            if (!_byUrn.TryAdd(r.Urn, r)) throw new InvalidOperationException($"duplicate resource {r.Urn}");
        }
        foreach (var r in Resources)
        {
            foreach (var d in r.DependsOn)
            {
                if (!_byUrn.ContainsKey(d)) throw new InvalidOperationException($"{r.Urn} depends on unknown {d}");
            }
        }
        Order = TopologicalOrder(Resources, _byUrn);
    }

    public string Stack { get; }
    public IReadOnlyList<Resource> Resources { get; }

    /// <summary>Resources sorted so that every dependency comes before its dependents (stable for equal rank).</summary>
    public IReadOnlyList<Resource> Order { get; }

    public IReadOnlyDictionary<string, StackOutput> Outputs { get; }

    /// <summary>
    /// What the program wants the operator to read before applying this graph (a risky setting, say): every
    /// preview and up shows them. The program words them; nothing here knows what they are about.
    /// </summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Where data flows between resources at run time, this stack's and other machines' (for pictures and reviews).</summary>
    public IReadOnlyList<DataPath> DataPaths { get; }

    public Resource? Find(string urn) => _byUrn.GetValueOrDefault(urn);

    public IEnumerable<Resource> OfType(string type) => Resources.Where(r => r.Type == type);

    private static List<Resource> TopologicalOrder(IReadOnlyList<Resource> resources, Dictionary<string, Resource> byUrn)
    {
        var order = new List<Resource>(resources.Count);
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 visiting, 2 done
        foreach (var r in resources) Visit(r);
        return order;

        void Visit(Resource r)
        {
            switch (state.GetValueOrDefault(r.Urn))
            {
                case 2: return;
                case 1: throw new InvalidOperationException($"dependency cycle through {r.Urn}");
            }
            state[r.Urn] = 1;
            foreach (var d in r.DependsOn) Visit(byUrn[d]);
            state[r.Urn] = 2;
            order.Add(r);
        }
    }
}

/// <summary>A value the stack exports (URLs of hubs, gateways, NATS), as `pulumi stack output` shows them.</summary>
/// <param name="WarnOnChange">
/// When set, a plan whose stack last applied a different value of this output warns with this text and the old
/// and new values: for outputs that name a setting whose change reshapes the stack (never for secrets).
/// </param>
public sealed record StackOutput(string Value, bool Secret = false, string? WarnOnChange = null);
