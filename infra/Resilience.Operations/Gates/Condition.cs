namespace Resilience.Operations.Gates;

/// <summary>
/// A success condition, e.g. <c>result == 0</c>, <c>result &lt;= baseline * 1.1</c>, <c>result == "edgehub" || result == "centralhub"</c>.
/// Numbers, "texts", true/false, names (bound when evaluated), + - * /, comparisons, &amp;&amp; || ! (or and/or/not), parentheses.
/// </summary>
public sealed class Condition
{
    private readonly ConditionNode _root;

    private Condition(string text, ConditionNode root, IReadOnlySet<string> names)
    {
        Text = text;
        _root = root;
        Names = names;
    }

    public string Text { get; }

    /// <summary>The names the condition reads (result, baseline, a gate variable).</summary>
    public IReadOnlySet<string> Names { get; }

    /// <exception cref="ConditionException">The text is not a condition, or names something not in <paramref name="known"/>.</exception>
    public static Condition Parse(string text, IReadOnlySet<string> known)
    {
        var root = new ConditionParser(text).ParseAll();
        var names = new HashSet<string>(StringComparer.Ordinal);
        root.CollectNames(names);
        foreach (var name in names.Where(n => !known.Contains(n)))
            throw new ConditionException($"unknown name '{name}' (known: {string.Join(", ", known.Order(StringComparer.Ordinal))})", text.IndexOf(name, StringComparison.Ordinal) + 1);
        return new Condition(text, root, names);
    }

    /// <exception cref="ConditionException">A name is unbound, values of different kinds meet, or the whole is not true/false.</exception>
    public bool IsMet(IReadOnlyDictionary<string, GateValue> values)
    {
        var answer = _root.Evaluate(values);
        return answer.Truth ?? throw new ConditionException($"'{Text}' gives {answer.Kind} {answer}, not true or false", 1);
    }

    public override string ToString() => Text;
}
