using Resilience.Engine.Planning;
using Resilience.Model;
using static Resilience.Testing.EngineHarness;

namespace Resilience.Tests.Engine;

/// <summary>retainOnDelete forgets without deleting; deleteAfter runs a dependent's delete after its dependency's.</summary>
public sealed class DeleteOrderOptionTests : EngineTest
{
    [Fact]
    public async Task A_retained_resource_leaves_the_state_but_not_the_world_and_says_it_keeps_its_data()
    {
        var store = R("stream", options: new ResourceOptions { RetainOnDelete = true }) with { Type = Testing.FakeProvider.StoreType };
        await Harness.Engine().UpAsync(Graph(store, R("server")));

        var plan = await Harness.Engine().PreviewAsync(Graph(R("server")));
        var step = Assert.Single(plan.Steps, s => s.Kind == StepKind.Delete);
        Assert.True(step.Retain);
        Assert.False(step.DeletesData);

        var result = await Harness.Engine().UpAsync(Graph(R("server")));
        Assert.True(result.Succeeded);
        Assert.Empty(Harness.World.Ops("delete"));
        Assert.Equal(1, Harness.World.CountNamed("stream"));
        Assert.DoesNotContain(Harness.Engine().ReadCheckpoint().Resources, r => r.Name == "stream");
    }

    [Fact]
    public async Task Without_retain_the_same_delete_deletes_data_so_the_test_above_can_fail()
    {
        var store = R("stream") with { Type = Testing.FakeProvider.StoreType };
        await Harness.Engine().UpAsync(Graph(store, R("server")));

        var plan = await Harness.Engine().PreviewAsync(Graph(R("server")));

        Assert.True(Assert.Single(plan.Steps, s => s.Kind == StepKind.Delete).DeletesData);
    }

    [Fact]
    public async Task A_restart_marked_delete_after_its_file_is_deleted_after_the_file_and_before_the_process_without_a_deadlock()
    {
        // The demo's shape: the fleet starts after the agent files, the restart needs both, and goes after the file on delete.
        var graph = Graph(R("file"), R("fleet", dependsOn: [Urn("file")]), R("restart", dependsOn: [Urn("file"), Urn("fleet")], options: new ResourceOptions { DeleteAfter = Urn("file") }));
        await Harness.Engine().UpAsync(graph);

        var result = await Harness.Engine().DestroyAsync();

        Assert.True(result.Succeeded);
        var deletes = Harness.World.Ops("delete").ToList();
        Assert.True(deletes.IndexOf("file") < deletes.IndexOf("restart"), string.Join(", ", deletes));
        Assert.True(deletes.IndexOf("restart") < deletes.IndexOf("fleet"), string.Join(", ", deletes));
    }

    [Fact]
    public async Task Without_delete_after_a_dependent_goes_first_so_the_test_above_can_fail()
    {
        await Harness.Engine().UpAsync(Graph(R("file"), R("restart", dependsOn: [Urn("file")])));

        await Harness.Engine().DestroyAsync();

        Assert.Equal(["restart", "file"], Harness.World.Ops("delete"));
    }
}
