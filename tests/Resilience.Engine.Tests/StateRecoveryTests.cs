namespace Resilience.Tests.Engine;

public sealed class StateRecoveryTests : EngineTest
{
    [Fact]
    public async Task A_lost_checkpoint_is_rebuilt_from_the_history_and_the_real_world()
    {
        var graph = Graph(R("a"), R("b", dependsOn: [Urn("a")]), R("c"));
        Assert.True((await Harness.Engine().UpAsync(graph)).Succeeded);
        Harness.World.Instances.TryRemove(Harness.World.Instances.Single(i => i.Value.Name == "c").Key, out _);
        File.Delete(Harness.CheckpointPath);
        Assert.Equal(3, (await Harness.Engine().PreviewAsync(graph)).Steps.Count(s => s.Kind == StepKind.Create)); // the control

        var (read, version) = await Harness.Engine().RebuildStateAsync();

        Assert.Equal(1, version);
        Assert.Equal([(Urn("a"), DriftStatus.InSync), (Urn("b"), DriftStatus.InSync), (Urn("c"), DriftStatus.Gone)],
            read.Resources.Select(r => (r.Urn, r.Status)).OrderBy(r => r.Urn));
        var plan = await Harness.Engine().PreviewAsync(graph);
        Assert.Equal([("a", StepKind.Same), ("b", StepKind.Same), ("c", StepKind.Create)], plan.Steps.Select(s => (s.Name, s.Kind)));
        Assert.Equal([Urn("a")], Harness.Engine().ReadCheckpoint().Find(Urn("b"))!.DependsOn);
    }

    [Fact]
    public async Task A_rebuild_looks_no_further_back_than_the_last_destroy()
    {
        await Harness.Engine().UpAsync(Graph(R("old")));
        await Harness.Engine().DestroyAsync();
        await Harness.Engine().UpAsync(Graph(R("new")));
        File.Delete(Harness.CheckpointPath);

        var (read, version) = await Harness.Engine().RebuildStateAsync();

        Assert.Equal(3, version);
        Assert.Equal([Urn("new")], read.Resources.Select(r => r.Urn));
    }

    [Fact]
    public async Task A_failed_step_records_what_it_left_of_the_steps_it_waited_for()
    {
        var config = R("config", new JsonObject { ["value"] = "old" });
        var service = R("service", new JsonObject { ["config"] = "old" }, dependsOn: [Urn("config")]);
        await Harness.Engine().UpAsync(Graph(config, service));

        // The service refuses the new config and puts the old one back before it fails (a transactional reload).
        Harness.Provider.Hold["reload:service"] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Harness.Provider.FailAfter["reload:service"] = true;
        var changed = Graph(R("config", new JsonObject { ["value"] = "new" }), R("service", new JsonObject { ["config"] = "new" }, dependsOn: [Urn("config")]));
        var up = Harness.Engine().UpAsync(changed);
        await Harness.Provider.Held.Task;
        var configId = Harness.World.Instances.Single(i => i.Value.Name == "config").Key;
        Harness.World.Instances[configId] = ("config", new JsonObject { ["value"] = "old" });
        Harness.Provider.Hold["reload:service"].SetResult();
        Assert.False((await up).Succeeded);

        Assert.Equal("old", Harness.Engine().ReadCheckpoint().Find(Urn("config"))!.Inputs["value"]!.GetValue<string>());
        Harness.Provider.FailAfter.Clear();
        Harness.Provider.Hold.Clear();
        Assert.Contains(("config", StepKind.Update), (await Harness.Engine().PreviewAsync(changed)).Steps.Select(s => (s.Name, s.Kind)));
    }
}
