namespace Resilience.Tests.Engine;

public sealed class PlanAndApplyTests : EngineTest
{
    [Fact]
    public async Task Creates_follow_dependencies_and_a_second_plan_is_all_same()
    {
        var graph = Graph(R("app", dependsOn: [Urn("net"), Urn("vol")]), R("vol", dependsOn: [Urn("net")]), R("net"));
        var result = await Harness.Engine().UpAsync(graph);

        Assert.True(result.Succeeded);
        Assert.Equal(["net", "vol", "app"], Harness.World.Ops("create"));
        Assert.Equal(3, Harness.Engine().ReadCheckpoint().Resources.Count);
        var again = await Harness.Engine().PreviewAsync(graph);
        Assert.All(again.Steps, s => Assert.Equal(StepKind.Same, s.Kind));
        Assert.False(again.HasChanges);
    }

    [Fact]
    public async Task Parallelism_is_bounded_and_used()
    {
        Harness.Provider.Delay = TimeSpan.FromMilliseconds(100);
        var graph = Graph([.. Enumerable.Range(0, 12).Select(i => R($"r{i}"))]);

        await Harness.Engine().UpAsync(graph);
        // The bound is hard; how close a loaded 2-core machine gets to it is not.
        Assert.InRange(Harness.Provider.MaxRunning, 2, 4);

        var narrow = new FakeProvider(Harness.World) { Delay = TimeSpan.FromMilliseconds(30) };
        var engine = new StackEngine(Harness.Backend, "narrow", new Resilience.Engine.Providers.ProviderRegistry(narrow));
        await engine.UpAsync(new ResourceGraph("narrow", Enumerable.Range(0, 8).Select(i => R($"n{i}") with { Stack = "narrow" })),
            new ApplyOptions { MaxParallelism = 2 });
        Assert.InRange(narrow.MaxRunning, 1, 2);
    }

    [Fact]
    public async Task A_step_starts_only_after_its_dependencies_finished()
    {
        Harness.Provider.Delay = TimeSpan.FromMilliseconds(40);
        var events = new List<StepEvent>();
        var graph = Graph(R("base"), R("mid", dependsOn: [Urn("base")]), R("top", dependsOn: [Urn("mid")]), R("free"));
        await Harness.Engine().UpAsync(graph, progress: new Recorder(events));

        DateTimeOffset At(string name, StepStatus status) => events.Single(e => e.Step.Name == name && e.Status == status).At;
        Assert.True(At("mid", StepStatus.Started) >= At("base", StepStatus.Succeeded));
        Assert.True(At("top", StepStatus.Started) >= At("mid", StepStatus.Succeeded));
        Assert.True(At("free", StepStatus.Started) < At("base", StepStatus.Succeeded), "independent work runs alongside");
        Assert.All(events.Where(e => e.Status == StepStatus.Succeeded), e => Assert.True(e.Elapsed >= TimeSpan.FromMilliseconds(30)));
    }

    [Fact]
    public async Task Deletes_run_in_reverse_dependency_order()
    {
        Harness.Provider.Delay = TimeSpan.FromMilliseconds(10);
        await Harness.Engine().UpAsync(Graph(R("net"), R("vol", dependsOn: [Urn("net")]), R("app", dependsOn: [Urn("vol"), Urn("net")]), R("keep")));

        var plan = await Harness.Engine().PreviewAsync(Graph(R("keep")));
        Assert.Equal(["app", "vol", "net"], plan.Steps.Where(s => s.Kind == StepKind.Delete).Select(s => s.Name));

        var result = await Harness.Engine().UpAsync(Graph(R("keep")));
        Assert.True(result.Succeeded);
        Assert.Equal(["app", "vol", "net"], Harness.World.Ops("delete"));
        Assert.Equal([Urn("keep")], Harness.Engine().ReadCheckpoint().Resources.Select(r => r.Urn));
    }

    [Fact]
    public async Task Destroy_deletes_everything_dependents_first()
    {
        await Harness.Engine().UpAsync(Graph(R("a"), R("b", dependsOn: [Urn("a")]), R("c", dependsOn: [Urn("b")])));
        var result = await Harness.Engine().DestroyAsync();
        Assert.True(result.Succeeded);
        Assert.Equal(["c", "b", "a"], Harness.World.Ops("delete"));
        Assert.Empty(Harness.World.Instances);
        Assert.Empty(Harness.Engine().ReadCheckpoint().Resources);
    }

    [Fact]
    public async Task Update_and_reload_happen_in_place()
    {
        await Harness.Engine().UpAsync(Graph(R("a", new JsonObject { ["config"] = "v1", ["port"] = 1 }), R("b", new JsonObject { ["port"] = 2 })));
        var desired = Graph(R("a", new JsonObject { ["config"] = "v2", ["port"] = 1 }), R("b", new JsonObject { ["port"] = 3 }));

        var plan = await Harness.Engine().PreviewAsync(desired);
        Assert.Equal(StepKind.Reload, plan.Steps.Single(s => s.Name == "a").Kind);
        var update = plan.Steps.Single(s => s.Name == "b");
        Assert.Equal(StepKind.Update, update.Kind);
        var change = Assert.Single(update.Changes);
        Assert.Equal(("port", ChangeKind.Changed, "2", "3"), (change.Path, change.Kind, change.Old!.ToJsonString(), change.New!.ToJsonString()));

        await Harness.Engine().UpAsync(desired);
        Assert.Equal(["a"], Harness.World.Ops("reload"));
        Assert.Equal(["b"], Harness.World.Ops("update"));
        Assert.Equal(2, Harness.World.Instances.Count);
    }

    [Fact]
    public async Task Replace_creates_the_new_one_before_deleting_the_old_by_default()
    {
        await Harness.Engine().UpAsync(Graph(R("svc", new JsonObject { ["image"] = "v1" })));
        var oldId = Assert.Single(Harness.World.Instances.Keys);

        var result = await Harness.Engine().UpAsync(Graph(R("svc", new JsonObject { ["image"] = "v2" })));

        Assert.True(result.Succeeded);
        Assert.Equal(["create svc", "create svc", "delete svc"], Harness.World.Log);
        var newId = Assert.Single(Harness.World.Instances.Keys);
        Assert.NotEqual(oldId, newId);
        var checkpoint = Harness.Engine().ReadCheckpoint();
        Assert.Equal(newId, checkpoint.Find(Urn("svc"))!.Outputs["id"]!.GetValue<string>());
        Assert.Empty(checkpoint.Orphans);
        Assert.Empty(checkpoint.Pending);
    }

    [Fact]
    public async Task Replace_with_delete_before_replace_deletes_first()
    {
        var dbr = new ResourceOptions { DeleteBeforeReplace = true };
        await Harness.Engine().UpAsync(Graph(R("svc", new JsonObject { ["image"] = "v1" }, options: dbr)));
        var step = Assert.Single((await Harness.Engine().PreviewAsync(Graph(R("svc", new JsonObject { ["image"] = "v2" }, options: dbr)))).Steps);
        Assert.True(step.DeleteBeforeReplace);

        await Harness.Engine().UpAsync(Graph(R("svc", new JsonObject { ["image"] = "v2" }, options: dbr)));
        Assert.Equal(["create svc", "delete svc", "create svc"], Harness.World.Log);
        Assert.Equal("v2", Harness.World.Instances.Values.Single().Inputs["image"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_replace_that_loses_data_is_visible_in_the_plan_and_its_json()
    {
        await Harness.Engine().UpAsync(Graph(R("stream", new JsonObject { ["storage"] = "file" }), R("other")));
        var plan = await Harness.Engine().PreviewAsync(Graph(R("stream", new JsonObject { ["storage"] = "memory" }), R("other")));

        var step = Assert.Single(plan.DataLoss);
        Assert.Equal(StepKind.Replace, step.Kind);
        Assert.Equal(["storage"], step.Keys);
        var json = JsonNode.Parse(plan.ToJsonString())!;
        Assert.Equal(Urn("stream"), json["deletesData"]![0]!.GetValue<string>());
        var jsonStep = json["steps"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "stream")!;
        Assert.True(jsonStep["deletesData"]!.GetValue<bool>());
        Assert.Equal("replace", jsonStep["kind"]!.GetValue<string>());
        Assert.Equal("memory", jsonStep["changes"]![0]!["new"]!.GetValue<string>());
    }

    [Fact]
    public async Task Deleting_a_resource_that_holds_data_is_visible_in_the_plan()
    {
        var store = R("store") with { Type = FakeProvider.StoreType };
        await Harness.Engine().UpAsync(Graph(store, R("other")));

        var dropped = await Harness.Engine().PreviewAsync(Graph(R("other")));
        var step = Assert.Single(dropped.DataLoss);
        Assert.Equal((StepKind.Delete, store.Urn), (step.Kind, step.Urn));
        var destroy = await Harness.Engine().PreviewDestroyAsync();
        Assert.Equal([store.Urn], destroy.DataLoss.Select(s => s.Urn));
    }

    [Fact]
    public async Task Protected_resources_block_delete_and_replace_and_nothing_is_applied()
    {
        var keep = new ResourceOptions { Protect = true };
        await Harness.Engine().UpAsync(Graph(R("db", new JsonObject { ["image"] = "v1" }, options: keep), R("web")));
        var before = File.ReadAllBytes(Harness.CheckpointPath);
        var logBefore = Harness.World.Log.Count;

        var replace = await Assert.ThrowsAsync<PlanException>(() =>
            Harness.Engine().UpAsync(Graph(R("db", new JsonObject { ["image"] = "v2" }, options: keep), R("web", new JsonObject { ["value"] = "changed" }))));
        Assert.Contains(replace.Problems, p => p.Contains(Urn("db")) && p.Contains("protected") && p.Contains("replaced"));
        var delete = await Assert.ThrowsAsync<PlanException>(() => Harness.Engine().DestroyAsync());
        Assert.Contains(delete.Problems, p => p.Contains(Urn("db")) && p.Contains("deleted"));

        Assert.Equal(logBefore, Harness.World.Log.Count);
        Assert.Equal(before, File.ReadAllBytes(Harness.CheckpointPath));
        Assert.Single(Harness.Engine().History.List());

        // Unprotecting is a recorded change (no provider call), after which the delete is allowed.
        await Harness.Engine().UpAsync(Graph(R("db", new JsonObject { ["image"] = "v1" }), R("web")));
        Assert.False(Harness.Engine().ReadCheckpoint().Find(Urn("db"))!.Options.Protect);
        Assert.True((await Harness.Engine().DestroyAsync()).Succeeded);
    }

    [Fact]
    public async Task Check_problems_fail_the_plan_before_anything_runs()
    {
        var graph = Graph(R("good"), R("worse", new JsonObject { ["bad"] = 1 }), R("worst", new JsonObject { ["bad"] = 2 }));
        var error = await Assert.ThrowsAsync<PlanException>(() => Harness.Engine().UpAsync(graph));

        Assert.Equal(2, error.Problems.Count);
        Assert.Contains(Urn("worse"), error.Message);
        Assert.Contains("nothing was applied", error.Message);
        Assert.Empty(Harness.World.Log);
        Assert.False(File.Exists(Harness.CheckpointPath));
        Assert.Empty(Harness.Engine().History.List());
        Assert.False(File.Exists(Harness.Backend.LockPath(StackName)), "the lock is released");
    }

    [Fact]
    public async Task A_failed_step_skips_its_dependents_and_the_run_reports_failure()
    {
        Harness.Provider.FailBefore["db"] = true;
        var result = await Harness.Engine().UpAsync(Graph(R("db"), R("app", dependsOn: [Urn("db")]), R("cache")));

        Assert.False(result.Succeeded);
        Assert.Equal(StepStatus.Failed, result.Outcomes.Single(o => o.Step.Name == "db").Status);
        Assert.Contains("injected", result.Outcomes.Single(o => o.Step.Name == "db").Error);
        Assert.Equal(StepStatus.Skipped, result.Outcomes.Single(o => o.Step.Name == "app").Status);
        Assert.Equal(StepStatus.Succeeded, result.Outcomes.Single(o => o.Step.Name == "cache").Status);
        Assert.Equal(["cache"], Harness.World.Ops("create"));
        var version = Assert.Single(Harness.Engine().History.List());
        Assert.Equal(Resilience.Engine.History.VersionResult.Failed, version.Result);
        Assert.Equal(1, version.Summary["failed"]);
        Assert.Equal(1, version.Summary["skipped"]);
        Assert.Equal(1, version.Summary["create"]);
    }

    [Fact]
    public async Task Targets_plan_only_those_resources()
    {
        await Harness.Engine().UpAsync(Graph(R("a"), R("b"), R("c")));
        var desired = Graph(R("a", new JsonObject { ["value"] = "A" }), R("b", new JsonObject { ["value"] = "B" }), R("d"));

        var plan = await Harness.Engine().PreviewAsync(desired, new PlanOptions { Targets = new HashSet<string> { Urn("a"), Urn("c") } });
        Assert.Equal([("a", StepKind.Update), ("c", StepKind.Delete)], plan.Steps.Select(s => (s.Name, s.Kind)));

        await Harness.Engine().UpAsync(desired, new ApplyOptions { Targets = new HashSet<string> { Urn("a") } });
        Assert.Equal(["a"], Harness.World.Ops("update"));
        Assert.Equal(3, Harness.Engine().ReadCheckpoint().Resources.Count);

        var unknown = await Assert.ThrowsAsync<PlanException>(() => Harness.Engine().PreviewAsync(desired, new PlanOptions { Targets = new HashSet<string> { Urn("zzz") } }));
        Assert.Contains("neither desired nor in the state", unknown.Message);
        var orphaned = Graph(R("a"), R("b"), R("c"), R("e", dependsOn: [Urn("f")]), R("f"));
        var missingDependency = await Assert.ThrowsAsync<PlanException>(() =>
            Harness.Engine().PreviewAsync(orphaned, new PlanOptions { Targets = new HashSet<string> { Urn("e") } }));
        Assert.Contains($"depends on {Urn("f")}", missingDependency.Message);
    }

    [Fact]
    public async Task Plan_json_is_valid_and_lists_property_changes()
    {
        await Harness.Engine().UpAsync(Graph(R("a", new JsonObject { ["env"] = new JsonObject { ["X"] = "1", ["Y"] = "2" } })));
        var plan = await Harness.Engine().PreviewAsync(Graph(R("a", new JsonObject { ["env"] = new JsonObject { ["X"] = "1", ["Z"] = "3" } }), R("b")));

        using var doc = JsonDocument.Parse(plan.ToJsonString());
        var steps = doc.RootElement.GetProperty("steps");
        var changes = steps[0].GetProperty("changes").EnumerateArray().Select(c => (c.GetProperty("path").GetString(), c.GetProperty("kind").GetString())).ToList();
        Assert.Equal([("env.Y", "removed"), ("env.Z", "added")], changes);
        Assert.Equal(1, doc.RootElement.GetProperty("summary").GetProperty("create").GetInt32());
    }

    private sealed class Recorder(List<StepEvent> events) : IProgress<StepEvent>
    {
        public void Report(StepEvent value)
        {
            lock (events) events.Add(value);
        }
    }
}
