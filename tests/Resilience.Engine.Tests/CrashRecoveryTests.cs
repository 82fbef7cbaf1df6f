using System.Diagnostics;

namespace Resilience.Tests.Engine;

public sealed class CrashRecoveryTests : EngineTest
{
    [Fact]
    public async Task A_create_that_happened_but_was_not_recorded_is_adopted_not_repeated()
    {
        Harness.Provider.FailAfter["create:b"] = true;
        var graph = Graph(R("a"), R("b", dependsOn: [Urn("a")]), R("c", dependsOn: [Urn("b")]));
        var first = await Harness.Engine().UpAsync(graph);
        Assert.False(first.Succeeded);
        var pending = Assert.Single(Harness.Engine().ReadCheckpoint().Pending);
        Assert.Equal((PendingKind.Create, Urn("b")), (pending.Kind, pending.Urn));

        Harness.Provider.FailAfter.Clear();
        var plan = await Harness.Engine().PreviewAsync(graph);
        Assert.Contains(plan.Notices, n => n.Contains(Urn("b")) && n.Contains("now recorded"));
        Assert.Equal(StepKind.Same, plan.Steps.Single(s => s.Name == "b").Kind);
        Assert.Single(Harness.Engine().ReadCheckpoint().Pending);

        var second = await Harness.Engine().UpAsync(graph);
        Assert.True(second.Succeeded);
        Assert.Equal(["a", "b", "c"], Harness.World.Ops("create"));
        Assert.Equal(1, Harness.World.CountNamed("b"));
        Assert.Empty(Harness.Engine().ReadCheckpoint().Pending);
        Assert.False((await Harness.Engine().PreviewAsync(graph)).HasChanges);
    }

    [Fact]
    public async Task A_create_that_failed_before_doing_anything_is_created_again()
    {
        Harness.Provider.FailBefore["a"] = true;
        Assert.False((await Harness.Engine().UpAsync(Graph(R("a")))).Succeeded);
        Harness.Provider.FailBefore.Clear();

        var plan = await Harness.Engine().PreviewAsync(Graph(R("a")));
        Assert.Equal(StepKind.Create, Assert.Single(plan.Steps).Kind);
        Assert.True((await Harness.Engine().UpAsync(Graph(R("a")))).Succeeded);
        Assert.Equal(1, Harness.World.CountNamed("a"));
    }

    [Fact]
    public async Task Interrupted_updates_and_deletes_converge_without_repeating_work()
    {
        await Harness.Engine().UpAsync(Graph(R("u", new JsonObject { ["port"] = 1 }), R("d")));
        Harness.Provider.FailAfter["update:u"] = true;
        Harness.Provider.FailAfter["delete:d"] = true;
        var desired = Graph(R("u", new JsonObject { ["port"] = 2 }));
        Assert.False((await Harness.Engine().UpAsync(desired)).Succeeded);
        Assert.Equal([PendingKind.Update, PendingKind.Delete], Harness.Engine().ReadCheckpoint().Pending.Select(p => p.Kind).Order());

        Harness.Provider.FailAfter.Clear();
        var result = await Harness.Engine().UpAsync(desired);
        Assert.True(result.Succeeded);
        Assert.All(result.Outcomes, o => Assert.Equal(StepKind.Same, o.Step.Kind));
        Assert.Equal(["u"], Harness.World.Ops("update"));
        Assert.Equal(["d"], Harness.World.Ops("delete"));
        var checkpoint = Harness.Engine().ReadCheckpoint();
        Assert.Equal([Urn("u")], checkpoint.Resources.Select(r => r.Urn));
        Assert.Equal(2, checkpoint.Resources[0].Inputs["port"]!.GetValue<int>());
        Assert.Empty(checkpoint.Pending);
    }

    [Fact]
    public async Task A_replace_whose_old_delete_failed_deletes_the_orphan_next_time()
    {
        await Harness.Engine().UpAsync(Graph(R("svc", new JsonObject { ["image"] = "v1" })));
        Harness.Provider.FailBefore["delete:svc"] = true;
        var desired = Graph(R("svc", new JsonObject { ["image"] = "v2" }));
        Assert.False((await Harness.Engine().UpAsync(desired)).Succeeded);
        Assert.Equal(2, Harness.World.CountNamed("svc"));
        Assert.Single(Harness.Engine().ReadCheckpoint().Orphans);

        Harness.Provider.FailBefore.Clear();
        var plan = await Harness.Engine().PreviewAsync(desired);
        Assert.Equal([(StepKind.Same, false), (StepKind.Delete, true)], plan.Steps.Select(s => (s.Kind, s.Orphan)));
        Assert.True((await Harness.Engine().UpAsync(desired)).Succeeded);

        var survivor = Assert.Single(Harness.World.Instances.Values);
        Assert.Equal("v2", survivor.Inputs["image"]!.GetValue<string>());
        Assert.Empty(Harness.Engine().ReadCheckpoint().Orphans);
    }

    /// <summary>
    /// A kill -9 while a create is in flight: the state directory is copied at that instant (exactly what a dead
    /// process leaves: a pending create and its lock), the lock is given a dead pid, and a new engine converges on it.
    /// </summary>
    [Fact]
    public async Task A_process_killed_mid_create_leaves_a_pending_op_and_the_next_run_converges()
    {
        Harness.Provider.Delay = TimeSpan.FromMilliseconds(5);
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Harness.Provider.Hold["create:b"] = hold;
        var graph = Graph(R("a"), R("b", dependsOn: [Urn("a")]), R("c", dependsOn: [Urn("b")]), R("x"));
        var running = Harness.Engine().UpAsync(graph);
        await Harness.Provider.Held.Task.WaitAsync(TimeSpan.FromSeconds(10));

        using var crashed = new EngineHarness();
        CopyDirectory(Harness.Directory, crashed.Directory);
        hold.SetException(new OperationCanceledException("the original process is dead"));
        Assert.False((await running).Succeeded);

        var lockPath = crashed.Backend.LockPath(StackName);
        var holder = StackLock.TryRead(lockPath)!;
        File.WriteAllBytes(lockPath, StateJson.Serialize(holder with { Pid = DeadPid() }));
        var onDisk = crashed.Engine().ReadCheckpoint();
        Assert.Contains(onDisk.Pending, p => p.Kind == PendingKind.Create && p.Urn == Urn("b"));
        Assert.DoesNotContain(onDisk.Resources, r => r.Urn == Urn("c"));

        var converging = new Resilience.Engine.StackEngine(crashed.Backend, StackName, new Resilience.Engine.Providers.ProviderRegistry(new FakeProvider(Harness.World)));
        var result = await converging.UpAsync(graph);
        Assert.True(result.Succeeded);
        Assert.Contains(result.Notices, n => n.Contains("stale lock"));
        Assert.Contains(result.Notices, n => n.Contains(Urn("b")) && n.Contains("now recorded"));
        Assert.Equal(1, Harness.World.CountNamed("b"));
        Assert.Equal(1, Harness.World.CountNamed("c"));
        var state = converging.ReadCheckpoint();
        Assert.Equal(4, state.Resources.Count);
        Assert.Empty(state.Pending);
    }

    [Fact]
    public async Task The_checkpoint_is_valid_json_at_every_moment_of_a_run()
    {
        Harness.Provider.Delay = TimeSpan.FromMilliseconds(3);
        var graph = Graph([.. Enumerable.Range(0, 20).Select(i => R($"r{i}", dependsOn: i == 0 ? [] : [Urn($"r{i / 2}")]))]);
        var reads = 0;
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (!File.Exists(Harness.CheckpointPath)) continue;
                using var doc = JsonDocument.Parse(File.ReadAllBytes(Harness.CheckpointPath));
                Assert.True(doc.RootElement.GetProperty("resources").GetArrayLength() >= 0);
                reads++;
            }
        });
        var atEveryStep = new CheckEveryStep(Harness.CheckpointPath);

        var result = await Harness.Engine().UpAsync(graph, progress: atEveryStep);
        await Harness.Engine().DestroyAsync(progress: atEveryStep);
        stop.Cancel();
        await reader;

        Assert.True(result.Succeeded);
        Assert.Equal(80, atEveryStep.Seen);
        Assert.True(atEveryStep.Checked >= 79);
        Assert.True(reads > 0);
        Assert.Empty(Directory.EnumerateFiles(Harness.Backend.StackDirectory(StackName), "*.tmp", SearchOption.AllDirectories));
    }

    private sealed class CheckEveryStep(string path) : IProgress<StepEvent>
    {
        private int _seen;
        private int _checked;
        public int Seen => _seen;
        public int Checked => _checked;

        public void Report(StepEvent value)
        {
            Interlocked.Increment(ref _seen);
            // The very first step starts before anything was written.
            if (value.Status == StepStatus.Started && !File.Exists(path)) return;
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var pending = doc.RootElement.GetProperty("pending").EnumerateArray().Select(p => p.GetProperty("urn").GetString()).ToList();
            // A running step's operation is on disk before the provider is called, and gone once it succeeded.
            if (value.Status == StepStatus.Succeeded) Assert.DoesNotContain(value.Urn, pending);
            Interlocked.Increment(ref _checked);
        }
    }

    internal static int DeadPid()
    {
        using var child = Process.Start("true");
        child.WaitForExit();
        return child.Id;
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            // A half-written temporary file (another step's checkpoint write, locked and about to be renamed) is
            // never read by the engine; copying it races with its rename.
            if (file.EndsWith(".tmp", StringComparison.Ordinal))
            {
                continue;
            }
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
