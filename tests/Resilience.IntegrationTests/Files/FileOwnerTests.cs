using Resilience.Providers.Files;

namespace Resilience.IntegrationTests.Files;

/// <summary>Ownership needs a real root user (as the operator's deploy runs): these chown real files.</summary>
public sealed class FileOwnerTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("resilience-owner-");
    private readonly FileProvider _provider = new();

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task Owner_is_set_before_the_file_appears_and_a_chown_behind_the_tools_back_is_drift()
    {
        Assert.Equal("0", Run("id", "-u"));
        var path = Path.Combine(_dir.FullName, "agent.yaml");
        var desired = new Resource
        {
            Stack = "test",
            Type = FileProvider.FileType,
            Name = "agent",
            Inputs = new JsonObject { ["path"] = path, ["content"] = Secret.Wrap("token: x"), ["owner"] = "65534:65534" },
        };
        await _provider.CreateAsync(desired, CancellationToken.None);
        Assert.Equal("65534:65534 600", Run("stat", "-c", "%u:%g %a", path));

        var state = new ResourceState { Urn = desired.Urn, Type = desired.Type, Name = desired.Name, Inputs = desired.Inputs };
        var same = await _provider.ReadAsync(state, CancellationToken.None);
        Assert.True(JsonNode.DeepEquals(desired.Inputs, same!.Inputs));

        Run("chown", "0:0", path);
        var drifted = await _provider.ReadAsync(state, CancellationToken.None);
        Assert.Equal("0:0", drifted!.Inputs["owner"]!.GetValue<string>());

        var repaired = _provider.Diff(state with { Inputs = drifted.Inputs }, _provider.Check(desired));
        Assert.Equal(["owner"], repaired.Keys);
        await _provider.UpdateAsync(state, desired, repaired, CancellationToken.None);
        Assert.Equal("65534:65534 600", Run("stat", "-c", "%u:%g %a", path));
    }

    private static string Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true })!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return output;
    }
}
