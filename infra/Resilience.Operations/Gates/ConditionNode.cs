namespace Resilience.Operations.Gates;

/// <summary>The parsed form of a condition; each node evaluates itself against the bound names.</summary>
internal abstract record ConditionNode
{
    public abstract GateValue Evaluate(IReadOnlyDictionary<string, GateValue> values);

    public virtual void CollectNames(ISet<string> names) { }

    public sealed record Literal(GateValue Value) : ConditionNode
    {
        public override GateValue Evaluate(IReadOnlyDictionary<string, GateValue> values) => Value;
    }

    public sealed record Name(string Text, int Column) : ConditionNode
    {
        public override GateValue Evaluate(IReadOnlyDictionary<string, GateValue> values) =>
            values.TryGetValue(Text, out var value) ? value : throw new ConditionException($"'{Text}' has no value here", Column);

        public override void CollectNames(ISet<string> names) => names.Add(Text);
    }

    public sealed record Negation(ConditionNode Inner) : ConditionNode
    {
        public override GateValue Evaluate(IReadOnlyDictionary<string, GateValue> values) => GateValue.Of(!Truth(Inner.Evaluate(values)));

        public override void CollectNames(ISet<string> names) => Inner.CollectNames(names);
    }

    public sealed record Logic(ConditionNode Left, ConditionNode Right, bool IsAnd) : ConditionNode
    {
        public override GateValue Evaluate(IReadOnlyDictionary<string, GateValue> values)
        {
            var left = Truth(Left.Evaluate(values));
            if (IsAnd ? !left : left) return GateValue.Of(left);
            return GateValue.Of(Truth(Right.Evaluate(values)));
        }

        public override void CollectNames(ISet<string> names)
        {
            Left.CollectNames(names);
            Right.CollectNames(names);
        }
    }

    public sealed record Compare(ConditionNode Left, string Op, ConditionNode Right, int Column) : ConditionNode
    {
        public override GateValue Evaluate(IReadOnlyDictionary<string, GateValue> values)
        {
            var (a, b) = (Left.Evaluate(values), Right.Evaluate(values));
            if (a.Number is { } x && b.Number is { } y)
            {
                return GateValue.Of(Op switch
                {
                    "==" => x == y, "!=" => x != y, "<" => x < y, "<=" => x <= y, ">" => x > y, _ => x >= y,
                });
            }
            if (a.Kind != b.Kind) throw new ConditionException($"'{Op}' compares {a.Kind} {a} with {b.Kind} {b}", Column);
            var equal = a.Text is not null ? string.Equals(a.Text, b.Text, StringComparison.Ordinal) : a.Truth == b.Truth;
            return Op switch
            {
                "==" => GateValue.Of(equal),
                "!=" => GateValue.Of(!equal),
                _ => throw new ConditionException($"'{Op}' needs numbers, got {a.Kind} {a} and {b.Kind} {b}", Column),
            };
        }

        public override void CollectNames(ISet<string> names)
        {
            Left.CollectNames(names);
            Right.CollectNames(names);
        }
    }

    public sealed record Arithmetic(ConditionNode Left, char Op, ConditionNode Right, int Column) : ConditionNode
    {
        public override GateValue Evaluate(IReadOnlyDictionary<string, GateValue> values)
        {
            var (a, b) = (Left.Evaluate(values), Right.Evaluate(values));
            if (a.Number is not { } x || b.Number is not { } y)
                throw new ConditionException($"'{Op}' needs numbers, got {a.Kind} {a} and {b.Kind} {b}", Column);
            return GateValue.Of(Op switch { '+' => x + y, '-' => x - y, '*' => x * y, _ => x / y });
        }

        public override void CollectNames(ISet<string> names)
        {
            Left.CollectNames(names);
            Right.CollectNames(names);
        }
    }

    private static bool Truth(GateValue value) =>
        value.Truth ?? throw new ConditionException($"{value.Kind} {value} where true or false was expected", 1);
}
