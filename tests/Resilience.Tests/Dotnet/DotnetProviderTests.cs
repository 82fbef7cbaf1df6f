using System.Text.Json.Nodes;
using Resilience.Engine.Providers;
using Resilience.Model;
using Resilience.Providers.Dotnet;

namespace Resilience.Tests.Dotnet;

/// <summary>What the publish provider checks and how it compares (no publish runs here; the engine test runs one).</summary>
public sealed class DotnetProviderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("resilience-publish-").FullName;
    private readonly DotnetProvider _provider = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private JsonObject Inputs(string hash = "sha256:aaa", string output = "out-a") => new()
    {
        ["project"] = _dir,
        ["output"] = Path.Combine(_dir, output),
        ["binary"] = "service",
        ["runtime"] = "linux-x64",
        ["configuration"] = "Release",
        ["sourceHash"] = hash,
    };

    private static Resource Desired(JsonObject inputs) => new() { Stack = "s", Type = DotnetProvider.PublishType, Name = "runtime", Inputs = inputs };

    private static ResourceState Recorded(JsonObject inputs) => new()
    {
        Urn = Urns.For("s", DotnetProvider.PublishType, "runtime"),
        Type = DotnetProvider.PublishType,
        Name = "runtime",
        Inputs = inputs,
    };

    private void Published(JsonObject inputs)
    {
        var output = inputs["output"]!.GetValue<string>();
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "service"), "binary");
        File.WriteAllText(Path.Combine(output, ".source-hash"), inputs["sourceHash"]!.GetValue<string>());
    }

    /// <summary>Check's failures as text, and Diff of what Check made of the desired resource.</summary>
    private IReadOnlyList<string> Problems(Resource desired) => _provider.Check(desired).Failures.Select(f => $"{f.Property} {f.Reason}").ToList();

    private DiffResult DiffOf(ResourceState recorded, Resource desired) => _provider.Diff(recorded, _provider.Check(desired));

    [Fact]
    public void Check_names_missing_relative_and_unknown_inputs()
    {
        Assert.Empty(Problems(Desired(Inputs())));
        var bad = Inputs();
        bad["output"] = "relative/out";
        bad.Remove("sourceHash");
        bad["extra"] = 1;
        bad["project"] = Path.Combine(_dir, "missing");
        var problems = string.Join("\n", Problems(Desired(bad)));
        Assert.Contains("output 'relative/out' must be an absolute path", problems);
        Assert.Contains("sourceHash is required", problems);
        Assert.Contains("extra is not an input", problems);
        var missing = Inputs();
        missing["project"] = Path.Combine(_dir, "missing");
        Assert.Contains("does not exist", Assert.Single(Problems(Desired(missing))));
    }

    [Fact]
    public void Same_while_the_stamped_binary_is_there_and_published_again_when_it_is_gone()
    {
        var inputs = Inputs();
        Published(inputs);
        Assert.Equal(DiffKind.Same, DiffOf(Recorded(inputs), Desired(Inputs())).Kind);
        File.Delete(Path.Combine(inputs["output"]!.GetValue<string>(), "service"));
        var diff = DiffOf(Recorded(inputs), Desired(Inputs()));
        Assert.Equal(DiffKind.Update, diff.Kind);
        Assert.Equal(["binary"], diff.Keys);
    }

    [Fact]
    public void A_new_output_folder_replaces_and_a_new_hash_alone_updates()
    {
        var inputs = Inputs();
        Published(inputs);
        var moved = DiffOf(Recorded(inputs), Desired(Inputs("sha256:bbb", "out-b")));
        Assert.Equal(DiffKind.Replace, moved.Kind);
        Assert.Equal(["output"], moved.Keys);
        var rebuilt = DiffOf(Recorded(inputs), Desired(Inputs("sha256:bbb")));
        Assert.Equal(DiffKind.Update, rebuilt.Kind);
        Assert.Equal(["sourceHash"], rebuilt.Keys);
    }

    [Fact]
    public async Task Read_reports_foreign_sources_as_drift_and_delete_keeps_the_shared_output()
    {
        var inputs = Inputs();
        Published(inputs);
        File.WriteAllText(Path.Combine(inputs["output"]!.GetValue<string>(), ".source-hash"), "sha256:other");
        var read = await _provider.ReadAsync(Recorded(inputs), CancellationToken.None);
        Assert.Equal("sha256:other", read!.Inputs["sourceHash"]!.GetValue<string>());

        await _provider.DeleteAsync(Recorded(inputs), CancellationToken.None);
        Assert.True(File.Exists(Path.Combine(inputs["output"]!.GetValue<string>(), "service")));
    }
}
