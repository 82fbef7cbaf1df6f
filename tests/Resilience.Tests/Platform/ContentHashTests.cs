using Resilience.Model;
using Resilience.Platform;
using Resilience.Stack.Components;

namespace Resilience.Tests.Platform;

/// <summary>
/// Hashes are stored in state and container labels: their form must not change, or every container restarts on
/// upgrade. The expected values are sha256 vectors computed outside .NET (python hashlib).
/// </summary>
public class ContentHashTests
{
    [Fact]
    public void A_plain_hash_is_the_lower_case_hex_of_sha256()
    {
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ContentHash.Hex("abc"u8));
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ContentHash.Hex("abc"));
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ContentHash.Hex(new MemoryStream("abc"u8.ToArray())));
    }

    [Fact]
    public void A_secret_fingerprint_keeps_its_stored_form() =>
        Assert.Equal("sha256:5a239cf77d67ce4b0a28de5b58565f8de0ed642094656427eb759445e577ebb4", Secret.Fingerprint("p@ss:w/rd"));

    [Fact]
    public void A_config_hash_of_several_contents_ends_each_with_a_zero_byte_as_before()
    {
        Assert.Equal("sha256:aa795aa4bbb6117911ef062e271bcb05ccfd58ea439da7d46a44e3a3fcefa790", StackBuilder.Hash(["a", "bc"]));
        Assert.NotEqual(StackBuilder.Hash(["a", "bc"]), StackBuilder.Hash(["ab", "c"]));
    }

    [Fact]
    public void The_runtime_source_hash_keeps_its_stored_form()
    {
        var dir = Directory.CreateTempSubdirectory("resilience-hash-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "Service.csproj"), "<Project />");
            File.WriteAllText(Path.Combine(dir, "Program.cs"), "return 0;");
            Assert.Equal("sha256:a67a418fb811dda7e6c031b529a7f355add7ede1619a98e65caeb438256904c7", RuntimeSources.Hash(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
