using Resilience.Operations.Gates;

namespace Resilience.Operations.Rollout;

/// <summary>
/// `rollout next`: one step = move the stack file to the next stage, preview, up (agent restarts are part of it),
/// observe with the stage's gate; Go records the verdict on the new version (and with Continue goes on), No-Go or a
/// failed up rolls back to the version before the step and records both. A step from a stage whose gate has not
/// passed is refused unless an override reason is given, which is recorded.
/// </summary>
public sealed class RolloutDriver(IRolloutDeployer deployer, string projectDirectory, IRolloutReport report)
{
    /// <param name="observation">Each gate's own observation periods, or one period for all (the demo's seconds).</param>
    public async Task<RolloutOutcome> NextAsync(Observation observation, bool keepGoing, string? overrideReason, CancellationToken ct)
    {
        var versions = new List<int>();
        var gates = new List<GateResult>();
        while (true)
        {
            var config = deployer.LoadConfig();
            var position = RolloutPosition.Read(config, projectDirectory, deployer.History);
            if (position.DeployedVersion is not { } deployed)
                return new RolloutOutcome.Refused($"stack {position.Stack} has nothing deployed: run `resilience up --stack {position.Stack}` first");
            if (position.Deployed != position.Current)
            {
                return new RolloutOutcome.Refused($"{Path.GetFileName(config.StackFile)} says {position.Current} but version {deployed.Version} " +
                    $"deployed {position.Deployed?.Name ?? "an unknown stage"}: run `up` (or restore the file) so that they agree");
            }
            if (position.Next is not { } next)
                return versions.Count > 0 ? new RolloutOutcome.Advanced(position.Current, versions, gates) : new RolloutOutcome.Complete(position.Current);
            if (!position.GatePassed && overrideReason is null)
            {
                var why = position.Gate is null ? "has no recorded gate verdict" : $"gate {position.Gate["gate"]} said {position.Gate["result"]}";
                return new RolloutOutcome.Refused($"{position.Current} (version {deployed.Version}) {why}: run `resilience gate --stack {position.Stack} --record` " +
                    "until it is Go, or pass --override \"reason\"");
            }

            report.Step(position.Current, next, position.GatePassed ? null : overrideReason);
            RolloutStackFile.Apply(config, next);
            deployer.LoadConfig();
            Engine.ApplyResult up;
            try
            {
                // The stage's gate file is read before anything is applied: a mistake in it is no reason to roll back.
                using (var check = deployer.OpenGates(deployer.LoadConfig())) check.Load(next.GateFile);
                report.Planned(await deployer.PreviewAsync(ct));
                up = await deployer.UpAsync(report.Applying($"Updating to {next}"), ct);
            }
            catch
            {
                // Nothing was applied (a refused plan, a held lock): the stack file goes back to what is deployed.
                RolloutStackFile.Apply(config, position.Current);
                throw;
            }
            report.Applied($"up ({next})", up);
            deployer.History.Annotate(up.Version.Version, RolloutNotes.ForStep(position.Current.Name, next.Name, deployed.Version, position.GatePassed ? null : overrideReason));
            if (!up.Succeeded)
            {
                var failures = string.Join("; ", up.Failures.Select(f => $"{f.Step.Urn}: {f.Error}"));
                return await RollBackAsync(next, position.Current, up.Version.Version, deployed.Version, $"up failed: {failures}", null, ct);
            }

            using var session = deployer.OpenGates(deployer.LoadConfig());
            var gate = session.Load(next.GateFile);
            var progress = report.Observing(gate, observation.Period ?? gate.Observation);
            var result = await session.EvaluateAsync(gate, observation, progress, ct);
            report.Judged(result);
            if (await session.PushAsync(result, next.Week, next.Batches, ct) is { } warning) report.Warning(warning);
            deployer.History.Annotate(up.Version.Version, RolloutNotes.ForGate(result, next.Name));
            versions.Add(up.Version.Version);
            gates.Add(result);
            if (!result.Go)
            {
                var failed = string.Join(", ", result.Blocking.Select(c => c.Name));
                return await RollBackAsync(next, position.Current, up.Version.Version, deployed.Version, $"gate {gate.Name} No-Go: {failed}", result, ct);
            }
            overrideReason = null;
            if (!keepGoing) return new RolloutOutcome.Advanced(next, versions, gates);
        }
    }

    private async Task<RolloutOutcome> RollBackAsync(RolloutStage attempted, RolloutStage restore, int failed, int to, string reason, GateResult? gate, CancellationToken ct)
    {
        var rollback = await deployer.RollBackAsync(to, restore, report.Applying($"Rolling back to version {to} ({restore})"), ct);
        report.Applied($"rollback to version {to}", rollback);
        deployer.History.Annotate(rollback.Version.Version, RolloutNotes.ForRollback(failed, to, reason));
        return new RolloutOutcome.RolledBack(attempted, restore, failed, rollback.Version.Version, rollback.Succeeded, reason, gate);
    }
}
