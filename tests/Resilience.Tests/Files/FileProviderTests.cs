using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Resilience.Engine.Providers;
using Resilience.Model;
using Resilience.Platform;
using Resilience.Providers.Files;

namespace Resilience.Tests.Files;

[SupportedOSPlatform("linux")]
public sealed class FileProviderTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("resilience-files-");
    private readonly FileProvider _provider = new();

    /// <summary>Check's failures as text, and Diff of what Check made of the desired resource.</summary>
    private IReadOnlyList<string> Problems(Resource desired) => _provider.Check(desired).Failures.Select(f => $"{f}").ToList();

    private DiffResult DiffOf(ResourceState recorded, Resource desired) => _provider.Diff(recorded, _provider.Check(desired));


    public void Dispose() => _dir.Delete(recursive: true);

    private string PathIn(params string[] parts) => Path.Combine([_dir.FullName, .. parts]);

    private static Resource File(JsonObject inputs, string name = "f") =>
        new() { Stack = "test", Type = FileProvider.FileType, Name = name, Inputs = inputs };

    private static ResourceState StateOf(Resource r, JsonObject? outputs = null) =>
        new() { Urn = r.Urn, Type = r.Type, Name = r.Name, Inputs = (JsonObject)r.Inputs.DeepClone(), Outputs = outputs ?? new JsonObject() };

    [Fact]
    public async Task Create_writes_content_and_mode_into_new_parent_directories_and_reports_the_hash()
    {
        var path = PathIn("a", "b", "agent.yaml");
        var desired = File(new JsonObject { ["path"] = path, ["content"] = "hub: central\n", ["mode"] = "0640" });

        var outputs = await _provider.CreateAsync(desired, CancellationToken.None);

        Assert.Equal("hub: central\n", await System.IO.File.ReadAllTextAsync(path));
        Assert.Equal((UnixFileMode)0b110_100_000, System.IO.File.GetUnixFileMode(path));
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("hub: central\n")));
        Assert.Equal(expected, outputs["sha256"]!.GetValue<string>());
        Assert.Equal(["agent.yaml"], Directory.GetFiles(PathIn("a", "b")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Default_modes_are_0644_for_plain_files_and_0600_for_secrets()
    {
        var plain = File(new JsonObject { ["path"] = PathIn("plain"), ["content"] = "x" }, "plain");
        var secret = File(new JsonObject { ["path"] = PathIn("secret"), ["content"] = Secret.Wrap("hunter2") }, "secret");

        await _provider.CreateAsync(plain, CancellationToken.None);
        await _provider.CreateAsync(secret, CancellationToken.None);

        Assert.Equal("0644", OctalMode.Format(System.IO.File.GetUnixFileMode(PathIn("plain"))));
        Assert.Equal("0600", OctalMode.Format(System.IO.File.GetUnixFileMode(PathIn("secret"))));
        Assert.Equal("hunter2", await System.IO.File.ReadAllTextAsync(PathIn("secret")));
    }

    [Fact]
    public async Task Update_replaces_the_content_atomically_and_leaves_no_temp_file()
    {
        var path = PathIn("conf");
        var first = File(new JsonObject { ["path"] = path, ["content"] = "one" });
        await _provider.CreateAsync(first, CancellationToken.None);
        var second = File(new JsonObject { ["path"] = path, ["content"] = "two", ["mode"] = "0600" });

        var diff = DiffOf(StateOf(first), second);
        await _provider.UpdateAsync(StateOf(first), second, diff, CancellationToken.None);

        Assert.Equal("two", await System.IO.File.ReadAllTextAsync(path));
        Assert.Equal("0600", OctalMode.Format(System.IO.File.GetUnixFileMode(path)));
        // No temp file; the previous content is kept beside it on purpose, for a service that refuses the new one.
        Assert.Equal([path, PreviousContent.PathOf(path)], Directory.GetFiles(_dir.FullName).Order());
        Assert.Equal("one", await System.IO.File.ReadAllTextAsync(PreviousContent.PathOf(path)));
    }

    [Fact]
    public async Task Read_returns_the_recorded_inputs_when_nothing_changed_and_null_when_the_file_is_gone()
    {
        var desired = File(new JsonObject { ["path"] = PathIn("c"), ["content"] = "same", ["mode"] = "644" });
        var outputs = await _provider.CreateAsync(desired, CancellationToken.None);

        var read = await _provider.ReadAsync(StateOf(desired, outputs), CancellationToken.None);
        Assert.NotNull(read);
        Assert.True(JsonNode.DeepEquals(desired.Inputs, read.Inputs));
        Assert.True(JsonNode.DeepEquals(outputs, read.Outputs));

        System.IO.File.Delete(PathIn("c"));
        Assert.Null(await _provider.ReadAsync(StateOf(desired), CancellationToken.None));
    }

    [Fact]
    public async Task Read_shows_content_and_mode_changed_behind_the_tools_back()
    {
        var path = PathIn("drift");
        var desired = File(new JsonObject { ["path"] = path, ["content"] = "mine" });
        await _provider.CreateAsync(desired, CancellationToken.None);
        await System.IO.File.WriteAllTextAsync(path, "theirs");
        System.IO.File.SetUnixFileMode(path, (UnixFileMode)0b111_111_111);

        var read = await _provider.ReadAsync(StateOf(desired), CancellationToken.None);

        Assert.Equal("theirs", read!.Inputs["content"]!.GetValue<string>());
        Assert.Equal("0777", read.Inputs["mode"]!.GetValue<string>());
        Assert.Equal(DiffKind.Update, DiffOf(new ResourceState { Urn = desired.Urn, Type = desired.Type, Name = desired.Name, Inputs = read.Inputs }, desired).Kind);
    }

    [Fact]
    public async Task Read_of_a_secret_file_keeps_the_content_wrapped_even_when_it_drifted()
    {
        var path = PathIn("token");
        var desired = File(new JsonObject { ["path"] = path, ["content"] = Secret.Wrap("s3cret") });
        await _provider.CreateAsync(desired, CancellationToken.None);

        var same = await _provider.ReadAsync(StateOf(desired), CancellationToken.None);
        Assert.True(JsonNode.DeepEquals(desired.Inputs, same!.Inputs));

        await System.IO.File.WriteAllTextAsync(path, "leaked");
        var drifted = await _provider.ReadAsync(StateOf(desired), CancellationToken.None);
        Assert.True(Secret.IsSecret(drifted!.Inputs["content"]));
        Assert.Equal("leaked", Secret.Reveal(drifted.Inputs["content"]));
        Assert.DoesNotContain("leaked", Secret.Masked(drifted.Inputs)!.ToJsonString());
    }

    [Fact]
    public async Task Delete_removes_the_file_and_succeeds_when_it_or_its_directory_is_gone()
    {
        var desired = File(new JsonObject { ["path"] = PathIn("d", "x"), ["content"] = "x" });
        await _provider.CreateAsync(desired, CancellationToken.None);

        await _provider.DeleteAsync(StateOf(desired), CancellationToken.None);
        Assert.False(System.IO.File.Exists(PathIn("d", "x")));
        await _provider.DeleteAsync(StateOf(desired), CancellationToken.None);

        Directory.Delete(PathIn("d"));
        await _provider.DeleteAsync(StateOf(desired), CancellationToken.None);
    }

    [Fact]
    public void Diff_replaces_on_a_new_path_and_updates_content_mode_or_owner_in_place()
    {
        var old = StateOf(File(new JsonObject { ["path"] = "/etc/a", ["content"] = "x", ["mode"] = "0644" }));

        Assert.Equal(DiffKind.Same, DiffOf(old, File(new JsonObject { ["path"] = "/etc/a", ["content"] = "x" })).Kind);

        var moved = DiffOf(old, File(new JsonObject { ["path"] = "/etc/b", ["content"] = "y" }));
        Assert.Equal(DiffKind.Replace, moved.Kind);
        Assert.Equal(["path"], moved.Keys);
        Assert.False(moved.DeletesData);

        var edited = DiffOf(old, File(new JsonObject { ["path"] = "/etc/a", ["content"] = "y", ["mode"] = "0600", ["owner"] = "1:1" }));
        Assert.Equal(DiffKind.Update, edited.Kind);
        Assert.Equal(["content", "mode", "owner"], edited.Keys);
    }

    [Fact]
    public void Diff_compares_secret_content_by_value_without_caring_how_it_is_wrapped()
    {
        var old = StateOf(File(new JsonObject { ["path"] = "/etc/a", ["content"] = Secret.Wrap("k"), ["mode"] = "0600" }));
        Assert.Equal(DiffKind.Same, DiffOf(old, File(new JsonObject { ["path"] = "/etc/a", ["content"] = Secret.Wrap("k") })).Kind);
        Assert.Equal(["content"], DiffOf(old, File(new JsonObject { ["path"] = "/etc/a", ["content"] = Secret.Wrap("k2") })).Keys);
    }

    [Theory]
    [InlineData("""{"path":"relative/file","content":"x"}""", "path")]
    [InlineData("""{"path":"/etc/dir/","content":"x"}""", "path")]
    [InlineData("""{"content":"x"}""", "path")]
    [InlineData("""{"path":"/etc/x"}""", "content")]
    [InlineData("""{"path":"/etc/x","content":42}""", "content")]
    [InlineData("""{"path":"/etc/x","content":"x","mode":"0955"}""", "mode")]
    [InlineData("""{"path":"/etc/x","content":"x","mode":644}""", "mode")]
    [InlineData("""{"path":"/etc/x","content":{"$secret":"k"},"mode":"0640"}""", "mode")]
    [InlineData("""{"path":"/etc/x","content":"x","owner":"nobody"}""", "owner")]
    [InlineData("""{"path":"/etc/x","content":"x","colour":"red"}""", "colour")]
    public void Check_names_the_bad_key(string inputs, string key)
    {
        var problems = Problems(File(JsonNode.Parse(inputs)!.AsObject()));
        Assert.Single(problems);
        Assert.StartsWith(key + ":", problems[0]);
    }

    [Fact]
    public void Check_accepts_a_complete_file_and_refuses_other_types()
    {
        Assert.Empty(Problems(File(new JsonObject { ["path"] = "/etc/x", ["content"] = Secret.Wrap("k"), ["mode"] = "0400", ["owner"] = "65534:65534" })));
        Assert.NotEmpty(Problems(new Resource { Stack = "s", Type = "file:dir", Name = "d", Inputs = new JsonObject() }));
    }
}
