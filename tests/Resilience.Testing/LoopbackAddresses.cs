namespace Resilience.Testing;

/// <summary>
/// The loopback address a test listens on, one per name: the same name gets the same address for the whole test
/// process, and no two processes running at once (two test projects, a test run and a benchmark) get the same one.
/// An address is this process's while it holds an exclusive lock on its file in <see cref="LockDir"/>; the lock goes
/// with the process, however it ends. Addresses are taken from 127.0.0.100-254: the demo stacks' committed
/// addresses (127.0.0.2, .3, .4) and 127.0.0.1 are never handed out.
/// </summary>
public static class LoopbackAddresses
{
    private const int First = 100;
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
            for (var octet = First; octet <= Last; octet++)
            {
                var address = $"127.0.0.{octet}";
                if (Claimed.Values.Any(c => c.Address == address)) continue;
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
            throw new InvalidOperationException($"no free loopback address in 127.0.0.{First}-{Last} (locks in {LockDir})");
        }
    }
}
