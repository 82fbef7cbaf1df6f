using System.Diagnostics;

namespace Resilience.Bench.JetStream;

/// <summary>
/// Silently cuts the leaf link on one host: iptables DROPs traffic to the hub's leaf port and the hub's replies.
/// Dispose deletes exactly the rules inserted, so an interrupted run leaves nothing behind.
/// </summary>
public sealed class LeafCut : IDisposable
{
    private readonly string[][] _rules;
    private readonly List<string[]> _inserted = [];

    public LeafCut(string hubAddress, int leafPort)
    {
        _rules =
        [
            ["OUTPUT", "-d", hubAddress, "-p", "tcp", "--dport", leafPort.ToString(), "-j", "DROP"],
            ["OUTPUT", "-s", hubAddress, "-p", "tcp", "--sport", leafPort.ToString(), "-j", "DROP"],
        ];
    }

    public void Cut()
    {
        foreach (var rule in _rules)
        {
            IpTables(["-I", .. rule]);
            _inserted.Add(rule);
        }
    }

    public void Restore()
    {
        foreach (var rule in _inserted.ToList())
        {
            IpTables(["-D", .. rule]);
            _inserted.Remove(rule);
        }
    }

    public void Dispose() => Restore();

    private static void IpTables(string[] args)
    {
        var info = new ProcessStartInfo("iptables", args) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start iptables");
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"iptables {string.Join(' ', args)}: {error}");
    }
}
