namespace Resilience.Tests.Engine;

/// <summary>A checkpoint or history file that cannot be trusted is an error naming it, with a way out; nothing changes.</summary>
public sealed class DamagedStateTests : EngineTest
{
    private string PreviousPath => Path.Combine(Path.GetDirectoryName(Harness.CheckpointPath)!, "checkpoint.previous.json");

    [Fact]
    public async Task A_truncated_checkpoint_is_refused_naming_the_file_and_the_previous_one_restores_the_stack()
    {
        Assert.True((await Harness.Engine().UpAsync(Graph(R("a"), R("b")))).Succeeded);
        Assert.True(File.Exists(PreviousPath));
        var bytes = File.ReadAllBytes(Harness.CheckpointPath);
        File.WriteAllBytes(Harness.CheckpointPath, bytes[..(bytes.Length / 2)]);

        var e = await Assert.ThrowsAsync<StateDamagedException>(() => Harness.Engine().PreviewAsync(Graph(R("a"), R("b"))));
        Assert.Equal(Harness.CheckpointPath, e.Path);
        Assert.Contains("JSON broken at line", e.Problem);
        Assert.Contains($"--file {PreviousPath}", e.WayOut);
        await Assert.ThrowsAsync<StateDamagedException>(() => Harness.Engine().UpAsync(Graph(R("a"), R("b"))));
        Assert.Equal(bytes.Length / 2, new FileInfo(Harness.CheckpointPath).Length); // up changed nothing

        var previous = File.ReadAllBytes(PreviousPath);
        Assert.Equal(2, Harness.Engine().ImportState(PreviousPath) + 1); // one step older: a, not yet b
        Assert.Equal(previous, File.ReadAllBytes(PreviousPath)); // the damaged one did not push the good one out
        Assert.Single(Harness.Engine().ReadCheckpoint().Resources);
    }

    [Fact]
    public async Task A_checkpoint_edited_after_it_was_written_fails_its_integrity_check()
    {
        await Harness.Engine().UpAsync(Graph(R("a", new JsonObject { ["port"] = 1 })));
        var text = File.ReadAllText(Harness.CheckpointPath);
        Assert.Contains("\"integrity\": \"sha256:", text);
        File.WriteAllText(Harness.CheckpointPath, text.Replace("\"port\": 1", "\"port\": 2", StringComparison.Ordinal));

        var e = Assert.Throws<StateDamagedException>(() => Harness.Engine().ReadCheckpoint());
        Assert.Contains("integrity", e.Problem);
    }

    [Fact]
    public async Task A_checkpoint_without_an_integrity_hash_from_an_older_version_still_loads()
    {
        await Harness.Engine().UpAsync(Graph(R("a")));
        var node = JsonNode.Parse(File.ReadAllText(Harness.CheckpointPath))!.AsObject();
        Assert.True(node.Remove("integrity"));
        File.WriteAllText(Harness.CheckpointPath, node.ToJsonString());
        Assert.Single(Harness.Engine().ReadCheckpoint().Resources);
        Assert.False((await Harness.Engine().PreviewAsync(Graph(R("a")))).HasChanges);
    }

    [Fact]
    public async Task Export_and_import_round_trip_and_an_export_of_another_stack_is_refused()
    {
        await Harness.Engine().UpAsync(Graph(R("a"), R("b")));
        var export = Path.Combine(Harness.Directory, "export.json");
        File.WriteAllBytes(export, Harness.Engine().ExportState());
        await Harness.Engine().DestroyAsync();
        Assert.Empty(Harness.Engine().ReadCheckpoint().Resources);

        Assert.Equal(2, Harness.Engine().ImportState(export));
        Assert.Equal(["a", "b"], Harness.Engine().ReadCheckpoint().Resources.Select(r => r.Name).Order());

        File.WriteAllText(export, File.ReadAllText(export).Replace($"\"stack\": \"{StackName}\"", "\"stack\": \"other\"", StringComparison.Ordinal));
        var e = Assert.Throws<StateDamagedException>(() => Harness.Engine().ImportState(export));
        Assert.Contains("belongs to stack 'other'", e.Problem);
        Assert.Equal(2, Harness.Engine().ReadCheckpoint().Resources.Count);
    }

    [Fact]
    public async Task A_damaged_history_version_is_named_with_how_to_move_it_aside()
    {
        await Harness.Engine().UpAsync(Graph(R("a")));
        var version = Path.Combine(Harness.Backend.HistoryDirectory(StackName), "1.json");
        File.WriteAllText(version, "{\"version\": 1, \"comm");
        var e = Assert.Throws<StateDamagedException>(() => Harness.Engine().History.List());
        Assert.Equal(version, e.Path);
        Assert.Contains($"mv {version} {version}.damaged", e.WayOut);
    }
}
