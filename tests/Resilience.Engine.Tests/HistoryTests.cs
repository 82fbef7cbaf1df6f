using Resilience.Engine.History;

namespace Resilience.Tests.Engine;

public sealed class HistoryTests : EngineTest
{
    [Fact]
    public async Task Every_up_destroy_and_rollback_is_a_version_whose_graph_loads_back()
    {
        var engine = Harness.Engine(new TestProtector());
        var v1 = new ResourceGraph(StackName,
            [R("net"), R("hub", new JsonObject { ["port"] = 9000, ["token"] = Secret.Wrap("s3cret-token") }, [Urn("net")], new ResourceOptions { Protect = false, DeleteBeforeReplace = true })],
            new Dictionary<string, StackOutput> { ["hubUrl"] = new("http://127.0.0.2:9000"), ["token"] = new("s3cret-token", Secret: true) });
        var config = new JsonObject { ["resilience:machine"] = "pc2", ["resilience:natsPassword"] = new JsonObject { ["secure"] = "v1:abc" } };

        await engine.UpAsync(v1, new ApplyOptions { Config = config, GitCommit = "abc1234" });
        await engine.UpAsync(Graph(R("net"), R("hub", new JsonObject { ["port"] = 9100, ["token"] = Secret.Wrap("s3cret-token") }, [Urn("net")])));
        await engine.DestroyAsync();

        var versions = engine.History.List();
        Assert.Equal([1, 2, 3], versions.Select(v => v.Version));
        Assert.Equal(["up", "up", "destroy"], versions.Select(v => v.Command));
        Assert.All(versions, v => Assert.Equal(VersionResult.Succeeded, v.Result));
        Assert.All(versions, v => Assert.True(v.Finished >= v.Started));
        Assert.Equal(2, versions[0].Summary["create"]);
        Assert.Equal((1, 1), (versions[1].Summary["update"], versions[1].Summary["same"]));
        Assert.Equal(2, versions[2].Summary["delete"]);
        Assert.Equal("abc1234", versions[0].GitCommit);
        Assert.Null(versions[1].GitCommit);
        Assert.Equal("v1:abc", engine.History.Get(1).Config!["resilience:natsPassword"]!["secure"]!.GetValue<string>());

        var loaded = engine.History.LoadGraph(1);
        Assert.Equal(v1.Resources.Select(r => r.Urn), loaded.Resources.Select(r => r.Urn));
        foreach (var (want, got) in v1.Resources.Zip(loaded.Resources))
        {
            Assert.True(JsonNode.DeepEquals(want.Inputs, got.Inputs), got.Urn);
            Assert.Equal(want.DependsOn, got.DependsOn);
            Assert.Equal(want.Options, got.Options);
        }
        Assert.Equal(v1.Outputs["token"], loaded.Outputs["token"]);
        Assert.Empty(engine.History.LoadGraph(3).Resources);

        var rollback = await engine.RollbackAsync(1);
        Assert.True(rollback.Succeeded);
        Assert.Equal((4, "rollback"), (rollback.Version.Version, rollback.Version.Command));
        Assert.Equal(9000, Harness.World.Instances.Values.Single(i => i.Name == "hub").Inputs["port"]!.GetValue<int>());
        Assert.DoesNotContain("s3cret-token", Harness.AllStateText());
    }

    [Fact]
    public async Task Annotations_are_kept_as_given_in_order_and_listed_with_the_version()
    {
        var engine = Harness.Engine();
        await engine.UpAsync(Graph(R("hub")));
        await engine.UpAsync(Graph(R("hub"), R("edge")));

        engine.History.Annotate(1, new JsonObject { ["kind"] = "gate", ["result"] = "Go" });
        engine.History.Annotate(1, new JsonObject { ["kind"] = "note", ["nested"] = new JsonObject { ["n"] = 1 } });

        var listed = engine.History.List();
        Assert.Equal(["gate", "note"], listed[0].Annotations.Select(a => (string?)a["kind"]));
        Assert.Equal(1, (int)listed[0].Annotations[1]["nested"]!["n"]!);
        Assert.Empty(listed[1].Annotations);
        Assert.Equal([Urn("hub")], engine.History.LoadGraph(1).Resources.Select(r => r.Urn));
        Assert.Throws<ArgumentException>(() => engine.History.Annotate(9, []));
    }

    [Fact]
    public async Task A_graph_stored_with_fingerprints_only_cannot_be_rolled_back_to()
    {
        var engine = Harness.Engine();
        await engine.UpAsync(Graph(R("hub", new JsonObject { ["token"] = Secret.Wrap("s3cret-token") })));
        await engine.UpAsync(Graph(R("plain")));

        var error = Assert.Throws<InvalidOperationException>(() => engine.History.LoadGraph(1));
        Assert.Contains("fingerprints", error.Message);
        Assert.Equal([Urn("plain")], engine.History.LoadGraph(2).Resources.Select(r => r.Urn));
        Assert.Throws<ArgumentException>(() => engine.History.LoadGraph(9));
    }

    [Fact]
    public async Task An_empty_claim_left_by_a_killed_run_is_no_version()
    {
        var engine = Harness.Engine();
        await engine.UpAsync(Graph(R("hub")));
        File.WriteAllBytes(Path.Combine(Harness.Backend.HistoryDirectory(StackName), "2.json"), []);

        Assert.Null(engine.History.Find(2));
        Assert.Throws<ArgumentException>(() => engine.History.LoadGraph(2));
        Assert.Equal([1], engine.History.List().Select(v => v.Version));
        Assert.Equal(3, (await engine.UpAsync(Graph(R("hub"), R("pushgateway")))).Version.Version);
    }
}
