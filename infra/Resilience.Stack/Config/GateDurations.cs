namespace Resilience.Stack.Config;

/// <summary>
/// The durations the gate files name as <c>${key}</c> (an observation period, a query's window): every config key
/// declared as <c>gate…</c> (resilience:gateWeek1Observation), each more than 0. Read with the rest of the stack's
/// settings, so a bad value stops `preview` and `up` before anything is applied, not a rollout step after its `up`.
/// </summary>
public sealed record GateDurations(IReadOnlyDictionary<string, TimeSpan> Values)
{
    public const string Prefix = "gate";

    public static readonly GateDurations None = new(new Dictionary<string, TimeSpan>());

    public static bool IsGateKey(string key) => key.Length > Prefix.Length && key.StartsWith(Prefix, StringComparison.Ordinal) && char.IsUpper(key[Prefix.Length]);

    public static GateDurations Read(TypedConfig c)
    {
        var values = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (var key in c.Config.Declarations.Keys.Where(IsGateKey).Order(StringComparer.Ordinal))
        {
            var (text, duration) = c.ParsedDuration(key, what: "a gate's duration");
            if (duration.Value <= TimeSpan.Zero) throw TypedConfig.Error(c.Require(key), $"'{text}' must be more than 0 (a gate's observation period or query window)");
            values[key] = duration.Value;
        }
        return new GateDurations(values);
    }
}
