using Resilience.Engine.Providers;
using Resilience.Engine.Secrets;
using Resilience.Engine.State;
using Resilience.Model;

namespace Resilience.Engine.Planning;

/// <summary>Recorded state + desired graph → ordered steps. Calls only the providers' pure Check and Diff.</summary>
public sealed class Planner(ProviderRegistry providers, SecretCodec codec)
{
    /// <param name="desired">The desired graph; an empty one plans a destroy.</param>
    /// <param name="previousOutputs">The outputs of the stack's last applied graph, for the outputs that warn when they change.</param>
    public Plan Plan(Checkpoint recorded, ResourceGraph desired, PlanOptions? options = null, IReadOnlyList<string>? notices = null,
        IReadOnlyDictionary<string, string>? previousOutputs = null)
    {
        var targets = options?.Targets;
        bool InScope(string urn) => targets is null || targets.Contains(urn);
        var problems = new List<string>();

        if (desired.Stack != recorded.Stack) problems.Add($"the graph is for stack '{desired.Stack}', the state for '{recorded.Stack}'");
        foreach (var target in targets ?? new HashSet<string>())
        {
            if (desired.Find(target) is null && recorded.Find(target) is null && recorded.Orphans.All(o => o.Urn != target))
            {
                problems.Add($"target {target} is neither desired nor in the state");
            }
        }
        foreach (var r in desired.Resources.Where(r => r.Stack != desired.Stack))
        {
            problems.Add($"{r.Urn} belongs to stack '{r.Stack}', not '{desired.Stack}'");
        }

        var steps = new List<PlanStep>();
        foreach (var resource in desired.Order.Where(r => InScope(r.Urn)))
        {
            var provider = providers.Find(resource.Family);
            if (provider is null)
            {
                problems.Add($"{resource.Urn}: no provider for family '{resource.Family}'");
                continue;
            }
            var checkedResource = provider.Check(resource);
            if (!checkedResource.Ok)
            {
                problems.AddRange(checkedResource.Failures.Select(f => Describe(resource, f)));
                continue;
            }
            var step = StepFor(checkedResource, recorded.Find(resource.Urn), provider, steps.Count, problems);
            if (step is not null) steps.Add(step);
        }

        foreach (var orphan in recorded.Orphans.Where(o => InScope(o.Urn)))
        {
            RequireProvider(orphan, problems);
            steps.Add(DeleteStep(orphan, steps.Count, orphan: true));
        }

        var deletes = recorded.Resources.Where(r => desired.Find(r.Urn) is null && InScope(r.Urn)).ToList();
        foreach (var gone in ReverseDependencyOrder(deletes))
        {
            RequireProvider(gone, problems);
            if (gone.Options.Protect) problems.Add($"{gone.Urn} is protected and would be deleted; set protect: false and run up first");
            steps.Add(DeleteStep(gone, steps.Count, orphan: false));
        }

        if (targets is not null) CheckTargetClosure(recorded, steps, problems);
        if (problems.Count > 0) throw new PlanException(recorded.Stack, problems);

        Wire(steps, recorded);
        return new Plan(recorded.Stack, steps, notices ?? [], Warnings(desired, previousOutputs));
    }

    private static List<string> Warnings(ResourceGraph desired, IReadOnlyDictionary<string, string>? previousOutputs)
    {
        var warnings = desired.Warnings.ToList();
        foreach (var (key, output) in desired.Outputs.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (output.WarnOnChange is not { } text || output.Secret) continue;
            if (previousOutputs?.GetValueOrDefault(key) is { } old && old != output.Value)
                warnings.Add($"{text}: {key} {old} -> {output.Value}");
        }
        return warnings;
    }

    /// <summary>The one wording of a check failure: "URN: input: reason".</summary>
    public static string Describe(Resource resource, CheckFailure failure) => $"{resource.Urn}: {failure}";

    private PlanStep? StepFor(CheckResult checkedResource, StoredResource? recorded, IProvider provider, int index, List<string> problems)
    {
        var desired = checkedResource.Desired;
        if (recorded is null)
        {
            return new PlanStep
            {
                Index = index,
                Urn = desired.Urn,
                Type = desired.Type,
                Name = desired.Name,
                Kind = StepKind.Create,
                Desired = desired,
                Changes = PropertyDiff.Between(null, desired.Inputs, codec),
            };
        }
        if (recorded.Type != desired.Type)
        {
            problems.Add($"{desired.Urn}: recorded type {recorded.Type} differs from desired {desired.Type}");
            return null;
        }

        var state = recorded.ToState(codec, desired.Inputs);
        var diff = provider.Diff(state, checkedResource);
        var kind = diff.Kind switch
        {
            DiffKind.Same => StepKind.Same,
            DiffKind.Update => StepKind.Update,
            DiffKind.Reload => StepKind.Reload,
            DiffKind.Replace => StepKind.Replace,
            _ => throw new InvalidOperationException($"unknown diff kind {diff.Kind}"),
        };
        if (kind == StepKind.Replace && recorded.Options.Protect)
        {
            problems.Add($"{desired.Urn} is protected and would be replaced (because of {string.Join(", ", diff.Keys)}); set protect: false and run up first");
        }
        return new PlanStep
        {
            Index = index,
            Urn = desired.Urn,
            Type = desired.Type,
            Name = desired.Name,
            Kind = kind,
            Keys = diff.Keys,
            DeletesData = kind == StepKind.Replace && diff.DeletesData,
            DeleteBeforeReplace = kind == StepKind.Replace && desired.Options.DeleteBeforeReplace,
            RecordChanged = kind == StepKind.Same && RecordDiffers(recorded, desired),
            Changes = kind == StepKind.Same ? [] : PropertyDiff.Between(state.Inputs, desired.Inputs, codec),
            Desired = desired,
            Recorded = recorded,
            Diff = diff,
        };
    }

    private PlanStep DeleteStep(StoredResource recorded, int index, bool orphan) => new()
    {
        Index = index,
        Urn = recorded.Urn,
        Type = recorded.Type,
        Name = recorded.Name,
        Kind = StepKind.Delete,
        Orphan = orphan,
        Retain = !orphan && recorded.Options.RetainOnDelete,
        DeletesData = (orphan || !recorded.Options.RetainOnDelete) && providers.Find(recorded.Family)?.HoldsData(recorded.Type) == true,
        Recorded = recorded,
        Changes = PropertyDiff.Between(recorded.Inputs, null, codec),
    };

    private void RequireProvider(StoredResource recorded, List<string> problems)
    {
        if (providers.Find(recorded.Family) is null) problems.Add($"{recorded.Urn}: no provider for family '{recorded.Family}'");
    }

    private static bool RecordDiffers(StoredResource recorded, Resource desired) =>
        !recorded.DependsOn.SequenceEqual(desired.DependsOn) || recorded.Options != desired.Options;

    /// <summary>Dependents before their dependencies, by the dependencies the state recorded.</summary>
    private static List<StoredResource> ReverseDependencyOrder(List<StoredResource> deletes)
    {
        var byUrn = deletes.ToDictionary(r => r.Urn);
        var visited = new HashSet<string>();
        var dependenciesFirst = new List<StoredResource>();
        foreach (var r in deletes) Visit(r);
        dependenciesFirst.Reverse();
        return dependenciesFirst;

        void Visit(StoredResource r)
        {
            if (!visited.Add(r.Urn)) return;
            foreach (var d in r.DependsOn)
            {
                if (byUrn.TryGetValue(d, out var dependency)) Visit(dependency);
            }
            dependenciesFirst.Add(r);
        }
    }

    /// <summary>A targeted run must not create something whose dependency will not exist, nor delete something others still use.</summary>
    private static void CheckTargetClosure(Checkpoint recorded, List<PlanStep> steps, List<string> problems)
    {
        var planned = steps.Select(s => s.Urn).ToHashSet();
        var deleted = steps.Where(s => s.Kind == StepKind.Delete && !s.Orphan).Select(s => s.Urn).ToHashSet();
        foreach (var step in steps.Where(s => s.Desired is not null))
        {
            foreach (var dependency in step.Desired!.DependsOn.Where(d => !planned.Contains(d) && recorded.Find(d) is null))
            {
                problems.Add($"{step.Urn} depends on {dependency}, which does not exist yet and is not targeted");
            }
        }
        foreach (var remaining in recorded.Resources.Where(r => !planned.Contains(r.Urn)))
        {
            foreach (var dependency in remaining.DependsOn.Where(deleted.Contains))
            {
                problems.Add($"deleting {dependency} would leave {remaining.Urn}, which depends on it; target it too");
            }
        }
    }

    /// <summary>
    /// A create/update waits for the steps of its desired dependencies; a delete waits for the steps of every
    /// resource that recorded a dependency on it (they must stop using it first).
    /// </summary>
    private static void Wire(List<PlanStep> steps, Checkpoint recorded)
    {
        var byUrn = steps.Where(s => !s.Orphan).ToDictionary(s => s.Urn);
        bool Runs(string urn, out PlanStep step) => byUrn.TryGetValue(urn, out step!) && step.Kind != StepKind.Same;

        foreach (var step in steps)
        {
            var waits = new SortedSet<int>();
            if (step.Desired is not null)
            {
                foreach (var d in step.Desired.DependsOn)
                {
                    if (Runs(d, out var dependency)) waits.Add(dependency.Index);
                }
            }
            else if (!step.Orphan)
            {
                foreach (var dependent in recorded.Resources.Where(r => r.DependsOn.Contains(step.Urn)))
                {
                    if (!Runs(dependent.Urn, out var dependentStep)) continue;
                    // A dependent deleted after this one (DeleteAfter) waits for it instead.
                    if (dependentStep.Kind == StepKind.Delete && dependent.Options.DeleteAfter == step.Urn) continue;
                    waits.Add(dependentStep.Index);
                }
                if (step.Recorded?.Options.DeleteAfter is { } after && Runs(after, out var first) && first.Kind == StepKind.Delete) waits.Add(first.Index);
            }
            step.WaitsFor = [.. waits];
        }

        // A DeleteAfter wait turns one edge around; a dependent of the first resource that itself waits for the later
        // one (the demo fleet, which an agent's file and its restart both concern) would close a cycle: the first
        // delete goes without waiting for it, and the dependent still goes after the later one.
        foreach (var later in steps.Where(s => s.Kind == StepKind.Delete && !s.Orphan && s.Recorded?.Options.DeleteAfter is not null))
        {
            if (!byUrn.TryGetValue(later.Recorded!.Options.DeleteAfter!, out var first) || first.Kind != StepKind.Delete) continue;
            first.WaitsFor = [.. first.WaitsFor.Where(i => !Reaches(steps, i, later.Index))];
        }
        if (Cycle(steps) is { } cycle)
            throw new PlanException(recorded.Stack, [$"the steps would wait for each other forever: {string.Join(" -> ", cycle.Select(i => steps[i].Urn))}"]);
    }

    private static bool Reaches(List<PlanStep> steps, int from, int target)
    {
        var seen = new HashSet<int>();
        var stack = new Stack<int>([from]);
        while (stack.TryPop(out var i))
        {
            if (i == target) return true;
            if (!seen.Add(i)) continue;
            foreach (var next in steps[i].WaitsFor) stack.Push(next);
        }
        return false;
    }

    /// <summary>Steps that wait for each other in a ring, in order; null when there is none (the executor would hang on one).</summary>
    private static List<int>? Cycle(List<PlanStep> steps)
    {
        var state = new int[steps.Count]; // 0 new, 1 on the path, 2 done
        var path = new List<int>();
        foreach (var step in steps)
        {
            if (Visit(step.Index) is { } found) return found;
        }
        return null;

        List<int>? Visit(int i)
        {
            if (state[i] == 2) return null;
            if (state[i] == 1) return [.. path.Skip(path.IndexOf(i)), i];
            state[i] = 1;
            path.Add(i);
            foreach (var next in steps[i].WaitsFor)
            {
                if (Visit(next) is { } found) return found;
            }
            path.RemoveAt(path.Count - 1);
            state[i] = 2;
            return null;
        }
    }
}
