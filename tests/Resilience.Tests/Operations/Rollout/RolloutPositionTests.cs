using System.Text.Json.Nodes;
using Resilience.Engine.History;
using Resilience.Engine.Secrets;
using Resilience.Model;
using Resilience.Operations.Rollout;
using Resilience.Stack.Config;
using Resilience.Testing;

namespace Resilience.Tests.Operations.Rollout;

public sealed class RolloutPositionTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly TempProject _project = new();

    /// <summary>
    /// Week 1 Go (v1), a step to week 2 No-Go (v2) rolled back to v1 (v3), the step again No-Go (v4) rolled back to v3
    /// (v5): v5 restored week 1, whose gate passed on v1, so the next step is allowed (it was refused as "no recorded
    /// gate verdict" when only one rollback was followed).
    /// </summary>
    [Fact]
    public void A_rollback_of_a_rollback_keeps_the_gate_verdict_of_the_stage_it_restored()
    {
        var history = new StackHistory(_dir.Path, new SecretCodec(null));
        var v1 = Applied(history, "up", week: 1);
        history.Annotate(v1, Gate("week 1", "Go"));
        var v2 = Applied(history, "up", week: 2);
        history.Annotate(v2, Gate("week 2", "No-Go"));
        var v3 = Applied(history, "rollback", week: 1);
        history.Annotate(v3, RolloutNotes.ForRollback(v2, v1, "gate week2 No-Go"));
        var v4 = Applied(history, "up", week: 2);
        history.Annotate(v4, Gate("week 2", "No-Go"));
        var v5 = Applied(history, "rollback", week: 1);
        history.Annotate(v5, RolloutNotes.ForRollback(v4, v3, "gate week2 No-Go"));

        _project.Write("Pulumi.mainpc.yaml", "config:\n  resilience:machine: mainpc\n  resilience:rolloutWeek: 1\n");
        var position = RolloutPosition.Read(StackConfig.Load(_project.Dir, "mainpc"), _project.Dir, history);

        Assert.Equal(v5, position.DeployedVersion?.Version);
        Assert.Equal("week 1", position.Current.Name);
        Assert.True(position.GatePassed, $"gate: {position.Gate?.ToJsonString() ?? "none"}");
    }

    private static int Applied(StackHistory history, string command, int week)
    {
        var config = new JsonObject { ["resilience:machine"] = "mainpc", ["resilience:rolloutWeek"] = week.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var version = history.Begin(command, new ResourceGraph("mainpc", []), config, gitCommit: null);
        return history.Finish(version, VersionResult.Succeeded, []).Version;
    }

    private static JsonObject Gate(string stage, string result) => new()
    {
        ["kind"] = RolloutNotes.Gate,
        ["gate"] = "gate",
        ["stage"] = stage,
        ["result"] = result,
    };

    public void Dispose()
    {
        _dir.Dispose();
        _project.Dispose();
    }
}
