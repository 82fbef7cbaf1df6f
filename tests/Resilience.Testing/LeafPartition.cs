namespace Resilience.Testing;

/// <summary>
/// A silent cut of the leaf link on host networking: iptables DROPs the edge's packets to the hub's leaf port
/// and the hub's replies (by destination and source, since the edge connects from 127.0.0.1). Nothing is reset,
/// so only the ping settings can notice it. Dispose always deletes exactly the rules it inserted.
/// </summary>
public sealed class LeafPartition : IDisposable
{
    private readonly List<string[]> _inserted = [];

    public LeafPartition(string hubAddress, int leafPort)
    {
        Rules =
        [
            ["OUTPUT", "-d", hubAddress, "-p", "tcp", "--dport", leafPort.ToString(), "-j", "DROP"],
            ["OUTPUT", "-s", hubAddress, "-p", "tcp", "--sport", leafPort.ToString(), "-j", "DROP"],
        ];
    }

    public IReadOnlyList<string[]> Rules { get; }

    public bool Active => _inserted.Count > 0;

    public void Cut()
    {
        foreach (var rule in Rules)
        {
            var result = Tool.Run("iptables", ["-I", .. rule]);
            if (result.ExitCode != 0) throw new InvalidOperationException($"iptables -I {string.Join(' ', rule)}: {result}");
            _inserted.Add(rule);
        }
    }

    public void Restore()
    {
        var failures = new List<string>();
        foreach (var rule in _inserted.ToList())
        {
            var result = Tool.Run("iptables", ["-D", .. rule]);
            if (result.ExitCode != 0) failures.Add($"iptables -D {string.Join(' ', rule)}: {result}");
            else _inserted.Remove(rule);
        }
        if (failures.Count > 0) throw new InvalidOperationException(string.Join('\n', failures));
    }

    public void Dispose() => Restore();
}
