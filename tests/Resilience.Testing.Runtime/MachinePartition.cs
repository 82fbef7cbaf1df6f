using System.Diagnostics;

namespace Resilience.Testing.Runtime;

/// <summary>
/// Cuts two "machines" (loopback addresses) apart with iptables DROP rules, silently (no reset): traffic between
/// the two addresses in both directions (the runtimes bind their outgoing connections to their machine's address)
/// and the leafnode link (the leaf leaves from 127.0.0.1, so by the hub's address and leaf port, and replies by
/// source). Traffic from 127.0.0.1 to either machine (the test itself, local forwarding) is untouched.
/// Dispose always deletes exactly the rules it inserted.
/// </summary>
public sealed class MachinePartition(string a, string b, string leafHubAddress, int leafPort) : IDisposable
{
    private readonly List<string[]> _inserted = [];

    public IReadOnlyList<string[]> Rules { get; } =
    [
        ["OUTPUT", "-s", a, "-d", b, "-j", "DROP"],
        ["OUTPUT", "-s", b, "-d", a, "-j", "DROP"],
        ["OUTPUT", "-d", leafHubAddress, "-p", "tcp", "--dport", leafPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "-j", "DROP"],
        ["OUTPUT", "-s", leafHubAddress, "-p", "tcp", "--sport", leafPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "-j", "DROP"],
    ];

    public void Cut()
    {
        foreach (var rule in Rules)
        {
            Run("-I", rule);
            _inserted.Add(rule);
        }
    }

    public void Heal()
    {
        var failures = new List<string>();
        foreach (var rule in _inserted.ToList())
        {
            try
            {
                Run("-D", rule);
                _inserted.Remove(rule);
            }
            catch (InvalidOperationException e)
            {
                failures.Add(e.Message);
            }
        }
        if (failures.Count > 0)
        {
            throw new InvalidOperationException(string.Join('\n', failures));
        }
    }

    public void Dispose() => Heal();

    private static void Run(string op, string[] rule)
    {
        var info = new ProcessStartInfo("iptables") { RedirectStandardError = true, RedirectStandardOutput = true };
        info.ArgumentList.Add(op);
        foreach (var part in rule)
        {
            info.ArgumentList.Add(part);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start iptables");
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"iptables {op} {string.Join(' ', rule)}: exit {process.ExitCode}: {error}");
        }
    }
}
