namespace Resilience.Operations.Gates;

/// <summary>What a gate is evaluated for: the stack, its machine, the condition variables, the agent sets, the baselines.</summary>
public sealed record GateContext(string Stack, string Machine, IReadOnlyDictionary<string, GateValue> Variables,
    Func<string, IReadOnlyCollection<string>> AgentsOf, GateBaselines Baselines);

/// <summary>How long to watch: now (one measurement per check), or over each check's observation period or one given for all.</summary>
public sealed record Observation(bool Observe, TimeSpan? Period = null)
{
    public static readonly Observation Now = new(false);

    public static Observation Over(TimeSpan? period = null) => new(true, period);
}
