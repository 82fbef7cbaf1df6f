using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Resilience.Secrets;

/// <summary>
/// Remembers PBKDF2 keys so a process pays the deliberately slow derivation once per (passphrase, salt),
/// however many times the config loader and the CLI open the same stack.
/// </summary>
public sealed class DerivedKeyCache
{
    public const int Iterations = 1_000_000;
    public const int KeyBytes = 32;

    private readonly ConcurrentDictionary<string, Lazy<byte[]>> _keys = new(StringComparer.Ordinal);
    private int _derivations;

    public static DerivedKeyCache Shared { get; } = new();

    /// <summary>How many derivations actually ran (cache misses).</summary>
    public int Derivations => Volatile.Read(ref _derivations);

    public byte[] GetOrDerive(string passphrase, ReadOnlySpan<byte> salt)
    {
        var saltBytes = salt.ToArray();
        var id = CacheId(passphrase, saltBytes);
        return _keys.GetOrAdd(id, _ => new Lazy<byte[]>(() => Derive(passphrase, saltBytes))).Value;
    }

    public static byte[] DeriveUncached(string passphrase, ReadOnlySpan<byte> salt) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(passphrase), salt, Iterations, HashAlgorithmName.SHA256, KeyBytes);

    private byte[] Derive(string passphrase, byte[] salt)
    {
        Interlocked.Increment(ref _derivations);
        return DeriveUncached(passphrase, salt);
    }

    // A digest rather than the passphrase itself, so the cache's keys do not hold it in plain text.
    private static string CacheId(string passphrase, byte[] salt)
    {
        var material = Encoding.UTF8.GetBytes(passphrase);
        var input = new byte[salt.Length + 1 + material.Length];
        salt.CopyTo(input, 0);
        input[salt.Length] = (byte)salt.Length;
        material.CopyTo(input, salt.Length + 1);
        return Convert.ToBase64String(SHA256.HashData(input)) + ":" + Convert.ToBase64String(salt);
    }
}
