namespace Resilience.Tests.Engine;

public sealed class SecretTests : EngineTest
{
    private const string First = "hunter2-first-plaintext";
    private const string Second = "correct-horse-second-plaintext";

    private static ResourceGraph WithPassword(string password, string other = "x") =>
        Graph(R("nats", new JsonObject { ["user"] = "leaf", ["password"] = Secret.Wrap(password), ["other"] = other }));

    [Fact]
    public async Task Without_a_protector_secrets_are_fingerprints_and_a_changed_secret_still_shows()
    {
        var engine = Harness.Engine();
        await engine.UpAsync(WithPassword(First), new ApplyOptions { Config = new JsonObject { ["resilience:natsPassword"] = Secret.Wrap(First) } });
        Assert.Contains("$fingerprint", Harness.AllStateText());

        Assert.False((await engine.PreviewAsync(WithPassword(First))).HasChanges);

        var plan = await engine.PreviewAsync(WithPassword(Second));
        var step = Assert.Single(plan.Steps);
        Assert.Equal(StepKind.Update, step.Kind);
        var change = Assert.Single(step.Changes);
        Assert.Equal(("password", Secret.Mask, Secret.Mask), (change.Path, change.Old!.GetValue<string>(), change.New!.GetValue<string>()));
        Assert.DoesNotContain(First, plan.ToJsonString());
        Assert.DoesNotContain(Second, plan.ToJsonString());

        await engine.UpAsync(WithPassword(Second));
        Assert.Equal(Second, Secret.Reveal(Harness.World.Instances.Values.Single().Inputs["password"]));
        await engine.RefreshAsync(new RefreshOptions { Write = true });
        Harness.Provider.FailAfter["nats"] = true;
        await engine.UpAsync(WithPassword(First, other: "y"));

        var stored = Harness.AllStateText();
        Assert.DoesNotContain(First, stored);
        Assert.DoesNotContain(Second, stored);
        Assert.NotEmpty(engine.ReadCheckpoint().Pending);
    }

    [Fact]
    public async Task With_a_protector_secrets_are_encrypted_and_come_back()
    {
        var engine = Harness.Engine(new TestProtector());
        await engine.UpAsync(WithPassword(First));
        var stored = Harness.AllStateText();
        Assert.Contains("$encrypted", stored);
        Assert.DoesNotContain(First, stored);
        Assert.DoesNotContain("$fingerprint", stored);

        Assert.False((await engine.PreviewAsync(WithPassword(First))).HasChanges);
        Assert.Equal(StepKind.Update, Assert.Single((await engine.PreviewAsync(WithPassword(Second))).Steps).Kind);
        Assert.Equal(First, Secret.Reveal(engine.History.LoadGraph(1).Resources[0].Inputs["password"]));
    }

    [Fact]
    public async Task Refresh_reports_a_secret_changed_out_of_band_masked()
    {
        var engine = Harness.Engine();
        await engine.UpAsync(WithPassword(First));
        var live = Harness.World.Instances.Single();
        live.Value.Inputs["password"] = Secret.Wrap(Second);

        var drift = Assert.Single((await engine.RefreshAsync()).Resources);
        Assert.Equal(DriftStatus.Changed, drift.Status);
        var change = Assert.Single(drift.Changes);
        Assert.Equal("password", change.Path);
        Assert.DoesNotContain(Second, drift.ToJson().ToJsonString());
    }
}
