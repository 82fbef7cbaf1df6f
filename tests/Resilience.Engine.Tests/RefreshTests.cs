namespace Resilience.Tests.Engine;

public sealed class RefreshTests : EngineTest
{
    [Fact]
    public async Task Refresh_reports_drift_and_only_writes_when_asked()
    {
        var graph = Graph(R("changed", new JsonObject { ["port"] = 1 }), R("gone"), R("fine"));
        var engine = Harness.Engine();
        await engine.UpAsync(graph);
        var id = Harness.World.Instances.Single(i => i.Value.Name == "changed").Key;
        Harness.World.Instances[id] = ("changed", new JsonObject { ["port"] = 2 });
        Harness.World.Instances.TryRemove(Harness.World.Instances.Single(i => i.Value.Name == "gone").Key, out _);
        var before = File.ReadAllBytes(Harness.CheckpointPath);

        var report = await engine.RefreshAsync();
        Assert.False(report.Written);
        Assert.Equal(before, File.ReadAllBytes(Harness.CheckpointPath));
        var byName = report.Resources.ToDictionary(r => r.Urn);
        Assert.Equal(DriftStatus.InSync, byName[Urn("fine")].Status);
        Assert.Equal(DriftStatus.Gone, byName[Urn("gone")].Status);
        var change = Assert.Single(byName[Urn("changed")].Changes);
        Assert.Equal(("port", "1", "2"), (change.Path, change.Old!.ToJsonString(), change.New!.ToJsonString()));
        Assert.Equal(2, report.Drifted.Count());

        var written = await engine.RefreshAsync(new RefreshOptions { Write = true });
        Assert.True(written.Written);
        var checkpoint = engine.ReadCheckpoint();
        Assert.Null(checkpoint.Find(Urn("gone")));
        Assert.Equal(2, checkpoint.Find(Urn("changed"))!.Inputs["port"]!.GetValue<int>());

        var plan = await engine.PreviewAsync(graph);
        Assert.Equal([("changed", StepKind.Update), ("gone", StepKind.Create), ("fine", StepKind.Same)], plan.Steps.Select(s => (s.Name, s.Kind)));
        Assert.True((await engine.UpAsync(graph)).Succeeded);
        Assert.All((await engine.RefreshAsync()).Resources, r => Assert.Equal(DriftStatus.InSync, r.Status));
    }
}
