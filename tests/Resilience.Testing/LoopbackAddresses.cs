using System.Globalization;
using System.Net;

namespace Resilience.Testing;

/// <summary>
/// The loopback address a test listens on, one per name: the same name gets the same address for the whole test
/// process, and no two processes running at once (two test projects, a test run and a benchmark) get the same one.
/// An address is this process's while it holds an exclusive lock on its file in <see cref="LockDir"/>; the lock goes
/// with the process, however it ends. Addresses come from 127.0.100.1-254, away from the 127.0.0.x that the demo
/// stacks and hand-run services use, and one where something already listens is skipped.
/// </summary>
public static class LoopbackAddresses
{
    private const int First = 1;
    private const int Last = 254;
    private static readonly string LockDir = Path.Combine(Path.GetTempPath(), "resilience-test-addresses");
    private static readonly Dictionary<string, (string Address, FileStream Lock)> Claimed = [];

    /// <summary>The address claimed for <paramref name="name"/> (e.g. "runtime-failover", "engine-mainpc").</summary>
    public static string For(string name)
    {
        lock (Claimed)
        {
            if (Claimed.TryGetValue(name, out var claimed)) return claimed.Address;
            Directory.CreateDirectory(LockDir);
            var listening = ListeningAddresses();
            for (var octet = First; octet <= Last; octet++)
            {
                var address = $"127.0.100.{octet}";
                if (listening.Contains(address) || Claimed.Values.Any(c => c.Address == address)) continue;
                try
                {
                    // FileShare.None is an exclusive flock on Linux: a second process fails here until we exit.
                    var file = new FileStream(Path.Combine(LockDir, address), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                    Claimed[name] = (address, file);
                    return address;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Another test process holds it (or another user made the file).
                }
            }
            throw new InvalidOperationException($"no free loopback address in 127.0.100.{First}-{Last} (locks in {LockDir})");
        }
    }

    /// <summary>The IPv4 addresses with a listening TCP socket on them (/proc/net/tcp, state 0A).</summary>
    private static HashSet<string> ListeningAddresses()
    {
        var result = new HashSet<string>();
        foreach (var line in File.ReadLines("/proc/net/tcp").Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 4 || fields[3] != "0A") continue;
            var hex = fields[1].Split(':')[0]; // the address in host (little-endian) byte order
            result.Add(new IPAddress(uint.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToString());
        }
        return result;
    }
}
