using Resilience.Secrets;

namespace Resilience.Tests.Secrets;

/// <summary>
/// The known answer from Pulumi's own passphrase tests, and the keys it needs, derived once for every test in the
/// collection (each derivation runs PBKDF2 1,000,000 times).
/// </summary>
public sealed class PulumiVector
{
    public const string EncryptionSalt = "v1:fozI5u6B030=:v1:F+6ZduKKd8G0/V7L:PGMFeIzwobWRKmEAzUdaQHqC5mMRIQ==";
    public const string Passphrase = "password";
    public const string WrongPassphrase = "password123";

    public PulumiVector()
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        Key = Cache.GetOrDerive(Passphrase, Salt);
        FirstDerivation = started.Elapsed;
        Cache.GetOrDerive(WrongPassphrase, Salt);
    }

    /// <summary>Holds the keys of <see cref="Passphrase"/> and <see cref="WrongPassphrase"/> for the vector's salt.</summary>
    public DerivedKeyCache Cache { get; } = new();

    public static byte[] Salt => Convert.FromBase64String("fozI5u6B030=");

    /// <summary>The key for <see cref="Passphrase"/>, as this library derived it.</summary>
    public byte[] Key { get; }

    public TimeSpan FirstDerivation { get; }

    public PassphraseCrypter Crypter => new(Key);
}

[CollectionDefinition(Name)]
public sealed class PulumiVectorCollection : ICollectionFixture<PulumiVector>
{
    public const string Name = "Pulumi passphrase vector";
}
