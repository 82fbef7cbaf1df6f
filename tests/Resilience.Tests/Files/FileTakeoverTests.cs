using System.Runtime.Versioning;
using System.Text;
using System.Text.Json.Nodes;
using Resilience.Contracts.Files;
using Resilience.Engine.Providers;
using Resilience.Engine.Secrets;
using Resilience.Model;
using Resilience.Providers.Files;

namespace Resilience.Tests.Files;

/// <summary>
/// A machine's own agent file, taken over: kept (in state, as a secret) and put back on delete and in Phase 1, byte
/// for byte with its mode; refused when the state could not keep it encrypted.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class FileTakeoverTests : IDisposable
{
    private const string Original = "# the machine's own config\nhub: http://mainpc:9000\npassword: hunter2\n";
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("resilience-takeover-");
    private readonly FileProvider _provider = new(canKeepOriginals: true);

    public void Dispose() => _dir.Delete(recursive: true);

    private string Path => System.IO.Path.Combine(_dir.FullName, "observability_hub.yaml");

    private Resource Agent(string content, string takeover = FileTakeover.Keep) => new()
    {
        Stack = "test",
        Type = FileProvider.FileType,
        Name = "agents/observability_hub.yaml",
        Inputs = new JsonObject { ["path"] = Path, ["content"] = content, ["takeover"] = takeover },
    };

    private static ResourceState StateOf(Resource r, JsonObject outputs) =>
        new() { Urn = r.Urn, Type = r.Type, Name = r.Name, Inputs = (JsonObject)r.Inputs.DeepClone(), Outputs = outputs };

    private void WriteOriginal()
    {
        File.WriteAllText(Path, Original);
        File.SetUnixFileMode(Path, (UnixFileMode)0b110_000_000); // 0600
    }

    [Fact]
    public async Task A_file_it_did_not_write_is_kept_as_a_secret_and_put_back_byte_for_byte_on_delete()
    {
        WriteOriginal();
        var desired = Agent("agent: ObservabilityHub\n");

        var outputs = await _provider.CreateAsync(desired, CancellationToken.None);

        Assert.Equal("agent: ObservabilityHub\n", File.ReadAllText(Path));
        Assert.True(Secret.IsSecret(outputs["original"]!["content"]), outputs.ToJsonString());
        // What the state would store: no plaintext of the original anywhere, with or without a protector.
        var stored = new SecretCodec(null).Encode(outputs).ToJsonString();
        Assert.DoesNotContain("hunter2", stored);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(Original)), stored);

        await _provider.DeleteAsync(StateOf(desired, outputs), CancellationToken.None);

        Assert.Equal(Original, File.ReadAllText(Path));
        Assert.Equal((UnixFileMode)0b110_000_000, File.GetUnixFileMode(Path));
    }

    [Fact]
    public async Task Without_a_kept_original_delete_removes_the_file_so_the_test_above_can_fail()
    {
        var desired = Agent("agent: ObservabilityHub\n");
        var outputs = await _provider.CreateAsync(desired, CancellationToken.None);
        Assert.Null(outputs["original"]);

        await _provider.DeleteAsync(StateOf(desired, outputs), CancellationToken.None);

        Assert.False(File.Exists(Path));
    }

    [Fact]
    public async Task Updates_carry_the_original_and_phase_1_writes_it_back_instead_of_the_content()
    {
        WriteOriginal();
        var week1 = Agent("week: 1\n");
        var outputs = await _provider.CreateAsync(week1, CancellationToken.None);
        var week2 = Agent("week: 2\n");
        outputs = await _provider.UpdateAsync(StateOf(week1, outputs), week2, DiffResult.Update("content"), CancellationToken.None);
        Assert.Equal("week: 2\n", File.ReadAllText(Path));
        Assert.NotNull(outputs["original"]);

        var phase1 = Agent("# phase 1 rendered\n", FileTakeover.Restore);
        outputs = await _provider.UpdateAsync(StateOf(week2, outputs), phase1, DiffResult.Update("content", "takeover"), CancellationToken.None);

        Assert.Equal(Original, File.ReadAllText(Path));
        // Refresh sees no drift: in Phase 1 the kept original is what the file should hold.
        var read = await _provider.ReadAsync(StateOf(phase1, outputs), CancellationToken.None);
        Assert.Equal("# phase 1 rendered\n", read!.Inputs["content"]!.GetValue<string>());
        Assert.NotNull(read.Outputs["original"]);
        Assert.Equal(DiffKind.Same, _provider.Diff(StateOf(phase1, outputs), _provider.Check(phase1)).Kind);
    }

    [Fact]
    public async Task Phase_1_without_a_kept_original_writes_the_rendered_content()
    {
        var phase1 = Agent("# phase 1 rendered\n", FileTakeover.Restore);
        await _provider.CreateAsync(phase1, CancellationToken.None);
        Assert.Equal("# phase 1 rendered\n", File.ReadAllText(Path));
    }

    [Fact]
    public async Task A_stack_whose_state_cannot_encrypt_refuses_the_takeover_and_leaves_the_file_alone()
    {
        WriteOriginal();
        var refusing = new FileProvider(canKeepOriginals: false);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => refusing.CreateAsync(Agent("agent: x\n"), CancellationToken.None));

        Assert.Contains(Path, e.Message);
        Assert.Contains("passphrase", e.Message);
        Assert.Equal(Original, File.ReadAllText(Path));
    }

    [Fact]
    public async Task A_file_that_already_holds_the_content_is_not_a_takeover()
    {
        File.WriteAllText(Path, "agent: x\n");
        var outputs = await new FileProvider(canKeepOriginals: false).CreateAsync(Agent("agent: x\n"), CancellationToken.None);
        Assert.Null(outputs["original"]);
    }

    [Fact]
    public void An_unknown_takeover_is_refused_by_check()
    {
        var failures = _provider.Check(Agent("a\n", "steal")).Failures.Select(f => f.ToString()).ToList();
        Assert.Contains(failures, f => f.Contains("'steal' is not a takeover", StringComparison.Ordinal));
    }
}
