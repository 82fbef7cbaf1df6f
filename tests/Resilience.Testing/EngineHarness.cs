using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Resilience.Engine;
using Resilience.Engine.Providers;
using Resilience.Engine.Secrets;
using Resilience.Engine.State;
using Resilience.Model;

namespace Resilience.Testing;

/// <summary>A temporary state directory, a fake world and a way to start "processes" (engines) over them.</summary>
public sealed class EngineHarness : IDisposable
{
    public const string StackName = "test";

    public EngineHarness()
    {
        Directory = Path.Combine(Path.GetTempPath(), "resilience-engine-tests", Guid.NewGuid().ToString("N"));
        Provider = new FakeProvider(World);
    }

    public string Directory { get; }
    public FakeWorld World { get; } = new();
    public FakeProvider Provider { get; }
    public DirectoryBackend Backend => new(Directory);
    public string CheckpointPath => Backend.CheckpointPath(StackName);

    /// <summary>A fresh engine, as a new process would make: it knows only what is on disk.</summary>
    public StackEngine Engine(ISecretProtector? protector = null) =>
        new(Backend, StackName, new ProviderRegistry(Provider), protector);

    public static Resource R(string name, JsonObject? inputs = null, IReadOnlyList<string>? dependsOn = null, ResourceOptions? options = null) => new()
    {
        Stack = StackName,
        Type = "fake:thing",
        Name = name,
        Inputs = inputs ?? new JsonObject { ["value"] = name },
        DependsOn = dependsOn ?? [],
        Options = options ?? ResourceOptions.Default,
    };

    public static string Urn(string name) => Urns.For(StackName, "fake:thing", name);

    public static ResourceGraph Graph(params Resource[] resources) => new(StackName, resources);

    /// <summary>Every byte the engine wrote under the state directory, as text.</summary>
    public string AllStateText() => string.Join("\n",
        System.IO.Directory.EnumerateFiles(Directory, "*", SearchOption.AllDirectories).Select(File.ReadAllText));

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
    }
}

/// <summary>AES-GCM with a key of its own: a stand-in for the passphrase protector.</summary>
public sealed class TestProtector : ISecretProtector
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public string Protect(string plaintext)
    {
        var nonce = RandomNumberGenerator.GetBytes(12);
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var cipher = new byte[plain.Length];
        var tag = new byte[16];
        using var aes = new AesGcm(_key, 16);
        aes.Encrypt(nonce, plain, cipher, tag);
        return Convert.ToBase64String([.. nonce, .. cipher, .. tag]);
    }

    public string Unprotect(string ciphertext)
    {
        var all = Convert.FromBase64String(ciphertext);
        var plain = new byte[all.Length - 28];
        using var aes = new AesGcm(_key, 16);
        aes.Decrypt(all[..12], all[12..^16], all[^16..], plain);
        return Encoding.UTF8.GetString(plain);
    }
}
