using System.Diagnostics;
using Resilience.Security.Certificates;
using Resilience.Security.Passwords;
using Resilience.Testing;

namespace Resilience.Bench.Security;

/// <summary>What an <c>up</c> pays to make a stack pair's secrets from nothing: the CA, the leaves, the hashes.</summary>
public static class GenerationBench
{
    public static void Run(int leaves)
    {
        var now = DateTimeOffset.UtcNow;
        var caTimes = new Latencies();
        for (var i = 0; i < 20; i++)
        {
            var watch = Stopwatch.StartNew();
            using var ca = CertificateAuthority.Create("bench pair", now);
            _ = ca.ToPem();
            caTimes.Add(watch.Elapsed);
        }
        Console.WriteLine($"CA (P-256 key, self-signed, PEM): {caTimes}");

        using var authority = CertificateAuthority.Create("bench pair", now);
        var spec = LeafSpec.For("centralhub", CertificateUsage.ServerAndClient, "192.168.1.10", "mainpc", "mainpc.lan");
        var leafTimes = new Latencies();
        for (var i = 0; i < 200; i++)
        {
            var watch = Stopwatch.StartNew();
            using var leaf = authority.Issue(spec, now);
            _ = Pem.Of(leaf);
            leafTimes.Add(watch.Elapsed);
        }
        Console.WriteLine($"leaf (P-256 key, signed, PEM): {leafTimes}");

        var hashTimes = new Dictionary<int, Latencies>();
        foreach (var cost in new[] { 4, 8, 10, 11, 12 })
        {
            var latencies = hashTimes[cost] = new Latencies();
            var hasher = new BcryptHasher(cost);
            for (var i = 0; i < (cost >= 12 ? 5 : 10); i++)
            {
                var password = Credential.RandomPassword();
                var watch = Stopwatch.StartNew();
                var hash = hasher.Hash(password);
                latencies.Add(watch.Elapsed);
                if (!BcryptHasher.Verify(password, hash)) throw new InvalidOperationException("bcrypt did not verify its own hash");
            }
            Console.WriteLine($"bcrypt cost {cost}: {latencies}");
        }

        const int users = 10;
        var all = Stopwatch.StartNew();
        using (var ca = CertificateAuthority.Create("bench pair", now))
        {
            _ = ca.ToPem();
            for (var i = 0; i < leaves; i++)
            {
                using var leaf = ca.Issue(spec, now);
                _ = Pem.Of(leaf);
            }
            var hasher = new BcryptHasher();
            for (var i = 0; i < users; i++) _ = hasher.Hash(Credential.Generate("user" + i).Password);
        }
        Console.WriteLine($"a pair from nothing: 1 CA + {leaves} leaves + {users} bcrypt hashes at cost {BcryptHasher.DefaultCost}: {all.Elapsed.TotalMilliseconds:0} ms");
    }
}
