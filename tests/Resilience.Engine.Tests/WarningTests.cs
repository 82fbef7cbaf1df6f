namespace Resilience.Tests.Engine;

/// <summary>The program's warnings reach every plan and result; a watched output that changed since the last up warns.</summary>
public sealed class WarningTests : EngineTest
{
    private static ResourceGraph GraphWith(string mode, IReadOnlyList<string>? warnings = null) => new(StackName, [R("a")],
        new Dictionary<string, StackOutput>
        {
            ["mode"] = new(mode, WarnOnChange: "the mode changes"),
            ["plain"] = new(mode),
        },
        warnings);

    [Fact]
    public async Task Graph_warnings_are_in_the_preview_the_result_and_their_json()
    {
        var graph = GraphWith("x", ["this setting is risky"]);
        var plan = await Harness.Engine().PreviewAsync(graph);
        Assert.Equal(["this setting is risky"], plan.Warnings);
        Assert.Contains("this setting is risky", plan.ToJsonString());
        var result = await Harness.Engine().UpAsync(graph);
        Assert.Equal(["this setting is risky"], result.Plan.Warnings);
        Assert.Contains("this setting is risky", result.ToJson().ToJsonString());
        Assert.Equal(["this setting is risky"], (await Harness.Engine().PreviewAsync(graph)).Warnings); // still there with nothing to do
    }

    [Fact]
    public async Task A_watched_output_warns_with_old_and_new_value_only_when_it_changed_since_the_last_successful_up()
    {
        Assert.Empty((await Harness.Engine().PreviewAsync(GraphWith("leafnode"))).Warnings); // nothing applied yet
        await Harness.Engine().UpAsync(GraphWith("leafnode"));
        Assert.Empty((await Harness.Engine().PreviewAsync(GraphWith("leafnode"))).Warnings);

        var changed = await Harness.Engine().PreviewAsync(GraphWith("three-node"));
        Assert.Equal(["the mode changes: mode leafnode -> three-node"], changed.Warnings);

        await Harness.Engine().UpAsync(GraphWith("three-node"));
        Assert.Empty((await Harness.Engine().PreviewAsync(GraphWith("three-node"))).Warnings);

        await Harness.Engine().DestroyAsync();
        Assert.Empty((await Harness.Engine().PreviewAsync(GraphWith("leafnode"))).Warnings); // a destroyed stack has no old value
    }
}
