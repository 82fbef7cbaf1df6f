using System.Text.RegularExpressions;
using Resilience.Operations.Gates;
using Resilience.Operations.Rollout;
using Resilience.Stack.Config;
using Resilience.Stack.Inventory;
using Resilience.Testing;

namespace Resilience.Tests.Operations.Gates;

public sealed partial class GateAgentSetsTests
{
    [GeneratedRegex(@"\$([a-z0-9]+)")]
    private static partial Regex SetReference();

    /// <summary>
    /// A check that names an empty agent set finds no series and fails on onNoData, whatever the system does: on mainpc
    /// in week 2, week2.yaml's `expect: migrated` (PC2's agents) made every step No-Go. Every committed gate, for every
    /// stage of both stacks, may only name sets that have agents on the stack's machine.
    /// </summary>
    [Theory]
    [InlineData("mainpc")]
    [InlineData("pc2")]
    public void Every_check_that_runs_on_a_stack_names_only_agent_sets_with_agents_at_that_stage(string stack)
    {
        var config = StackConfig.Load(RepoPaths.Root, stack);
        var settings = StackSettings.Read(new TypedConfig(config, ConfigSecrets.Decrypter(config)));
        var inventory = AgentInventory.Load(Path.Combine(RepoPaths.Root, settings.Inventory));
        var empty = new List<string>();
        foreach (var stage in RolloutStage.All(RolloutStage.Batched(settings, inventory)))
        {
            var sets = new AgentSets(settings with { Week = stage.Week, MigrationBatches = stage.Batches ?? RolloutStage.LastBatch }, inventory);
            var gate = GateFile.Load(Path.Combine(RepoPaths.Root, "gates", stage.GateFile), settings.Gates);
            foreach (var check in gate.Checks.Where(c => c.Machines.Count == 0 || c.Machines.Contains(settings.Machine)))
            {
                empty.AddRange(Named(check.Probe).Where(set => sets[set].Count == 0)
                    .Select(set => $"{stage.GateFile}: line {check.Line}: {check.Name}: ${set} is empty on {stack} in {stage.Name}"));
            }
        }
        Assert.Empty(empty);
    }

    private static IEnumerable<string> Named(ProbeSpec probe) => probe switch
    {
        ProbeSpec.PromQl p => SetReference().Matches(p.Query).Select(m => m.Groups[1].Value)
            .Where(AgentSets.Names.Contains).Concat(p.Expect is null ? [] : [p.Expect]),
        ProbeSpec.AgentHealth a => [a.Agents],
        _ => [],
    };
}
