using System.Security.Cryptography;
using System.Text;

namespace Resilience.Platform;

/// <summary>
/// SHA-256 of content as lower-case hex; <see cref="Tagged(string)"/> forms carry the algorithm ("sha256:…"). These
/// strings are stored in state and in container labels: a change of their form would restart every container.
/// </summary>
public static class ContentHash
{
    public const string Prefix = "sha256:";

    public static string Hex(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));

    public static string Hex(string text) => Hex(Encoding.UTF8.GetBytes(text));

    public static string Hex(Stream content) => Convert.ToHexStringLower(SHA256.HashData(content));

    public static string Tagged(ReadOnlySpan<byte> content) => Prefix + Hex(content);

    public static string Tagged(string text) => Prefix + Hex(text);

    /// <summary>A hash over several fields, each ended by a zero byte so that ("ab", "c") and ("a", "bc") differ.</summary>
    public static Fields OfFields() => new();

    public sealed class Fields : IDisposable
    {
        private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public Fields Add(string text) => Add(Encoding.UTF8.GetBytes(text));

        public Fields Add(ReadOnlySpan<byte> content)
        {
            _sha.AppendData(content);
            _sha.AppendData([0]);
            return this;
        }

        public string Tagged() => Prefix + Convert.ToHexStringLower(_sha.GetHashAndReset());

        public void Dispose() => _sha.Dispose();
    }
}
