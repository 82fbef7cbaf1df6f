using Resilience.Engine.History;
using Resilience.Model;
using Resilience.Operations.Outputs;
using static Resilience.Testing.EngineHarness;

namespace Resilience.Tests.Operations;

/// <summary>`stack output` answers from history: the version last applied, never the graph of today's config.</summary>
public sealed class StackOutputReaderTests : EngineTest
{
    private static ResourceGraph WithOutputs(int port, string token = "t0ken-plain") => new(StackName, [R("hub", new() { ["port"] = port })],
        new Dictionary<string, StackOutput> { ["hubUrl"] = new($"http://127.0.0.2:{port}"), ["token"] = new(token, Secret: true) });

    [Fact]
    public void A_stack_never_applied_has_nothing_to_show()
    {
        var answer = StackOutputReader.Read(StackName, Harness.Engine().History, revealSecrets: false);

        var none = Assert.IsType<AppliedOutputs.NothingApplied>(answer);
        Assert.Null(none.Destroyed);
    }

    [Fact]
    public async Task The_outputs_are_those_of_the_last_successful_run_not_of_a_later_failed_one()
    {
        var engine = Harness.Engine();
        await engine.UpAsync(WithOutputs(9000));
        Harness.Provider.FailBefore["hub"] = true;
        var failed = await engine.UpAsync(WithOutputs(9100));
        Assert.False(failed.Succeeded);

        var applied = Assert.IsType<AppliedOutputs.Applied>(StackOutputReader.Read(StackName, engine.History, revealSecrets: false));

        Assert.Equal(1, applied.Version.Version);
        Assert.Equal("http://127.0.0.2:9000", applied.Values["hubUrl"].Value);
        Assert.Equal(2, applied.NewerUnfinished?.Version);
        Assert.Equal(VersionResult.Failed, applied.NewerUnfinished?.Result);
    }

    [Fact]
    public async Task A_later_successful_up_replaces_the_outputs()
    {
        var engine = Harness.Engine();
        await engine.UpAsync(WithOutputs(9000));
        await engine.UpAsync(WithOutputs(9100));

        var applied = Assert.IsType<AppliedOutputs.Applied>(StackOutputReader.Read(StackName, engine.History, revealSecrets: false));

        Assert.Equal((2, "http://127.0.0.2:9100"), (applied.Version.Version, applied.Values["hubUrl"].Value));
        Assert.Null(applied.NewerUnfinished);
    }

    [Fact]
    public async Task A_destroyed_stack_has_nothing_to_show_and_names_the_destroy()
    {
        var engine = Harness.Engine();
        await engine.UpAsync(WithOutputs(9000));
        await engine.DestroyAsync();

        var none = Assert.IsType<AppliedOutputs.NothingApplied>(StackOutputReader.Read(StackName, engine.History, revealSecrets: false));

        Assert.Equal((2, "destroy"), (none.Destroyed?.Version, none.Destroyed?.Command));
    }

    [Fact]
    public async Task Secret_outputs_are_masked_unless_asked_for_and_then_decrypted_from_history()
    {
        var protector = new TestProtector();
        await Harness.Engine(protector).UpAsync(WithOutputs(9000, "s3cret-out"));
        var history = Harness.Engine(protector).History;

        var masked = Assert.IsType<AppliedOutputs.Applied>(StackOutputReader.Read(StackName, history, revealSecrets: false));
        var revealed = Assert.IsType<AppliedOutputs.Applied>(StackOutputReader.Read(StackName, history, revealSecrets: true));

        Assert.Equal(new StackOutput(Secret.Mask, Secret: true), masked.Values["token"]);
        Assert.Equal(new StackOutput("s3cret-out", Secret: true), revealed.Values["token"]);
        Assert.DoesNotContain("s3cret-out", Harness.AllStateText());
    }

    [Fact]
    public async Task Masked_secret_outputs_need_no_protector_to_be_listed()
    {
        await Harness.Engine(new TestProtector()).UpAsync(WithOutputs(9000, "s3cret-out"));

        var masked = Assert.IsType<AppliedOutputs.Applied>(StackOutputReader.Read(StackName, Harness.Engine(protector: null).History, revealSecrets: false));

        Assert.Equal(Secret.Mask, masked.Values["token"].Value);
        Assert.Equal("http://127.0.0.2:9000", masked.Values["hubUrl"].Value);
    }
}
