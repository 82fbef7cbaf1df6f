using System.Globalization;

namespace Resilience.Operations.Gates;

/// <summary>Recursive descent over the condition text: or → and → not → comparison → sum → product → unary → primary.</summary>
internal sealed class ConditionParser(string text)
{
    private int _at;

    public ConditionNode ParseAll()
    {
        var node = Or();
        Skip();
        if (_at < text.Length) throw Error($"unexpected '{text[_at..]}'");
        return node;
    }

    private ConditionNode Or()
    {
        var left = And();
        while (Accept("||") || AcceptWord("or")) left = new ConditionNode.Logic(left, And(), IsAnd: false);
        return left;
    }

    private ConditionNode And()
    {
        var left = Not();
        while (Accept("&&") || AcceptWord("and")) left = new ConditionNode.Logic(left, Not(), IsAnd: true);
        return left;
    }

    private ConditionNode Not()
    {
        if (Peek("!=")) return Comparison();
        if (Accept("!") || AcceptWord("not")) return new ConditionNode.Negation(Not());
        return Comparison();
    }

    private ConditionNode Comparison()
    {
        var left = Sum();
        foreach (var op in new[] { "==", "!=", "<=", ">=", "<", ">" })
        {
            var column = _at + 1;
            if (Accept(op)) return new ConditionNode.Compare(left, op, Sum(), column);
        }
        return left;
    }

    private ConditionNode Sum()
    {
        var left = Product();
        while (true)
        {
            var column = _at + 1;
            if (Accept("+")) left = new ConditionNode.Arithmetic(left, '+', Product(), column);
            else if (Accept("-")) left = new ConditionNode.Arithmetic(left, '-', Product(), column);
            else return left;
        }
    }

    private ConditionNode Product()
    {
        var left = Unary();
        while (true)
        {
            var column = _at + 1;
            if (Accept("*")) left = new ConditionNode.Arithmetic(left, '*', Unary(), column);
            else if (Accept("/")) left = new ConditionNode.Arithmetic(left, '/', Unary(), column);
            else return left;
        }
    }

    private ConditionNode Unary()
    {
        var column = _at + 1;
        return Accept("-") ? new ConditionNode.Arithmetic(new ConditionNode.Literal(GateValue.Of(0)), '-', Unary(), column) : Primary();
    }

    private ConditionNode Primary()
    {
        Skip();
        if (_at >= text.Length) throw Error("the condition ends where a value was expected");
        var c = text[_at];
        if (Accept("("))
        {
            var inner = Or();
            if (!Accept(")")) throw Error("')' expected");
            return inner;
        }
        if (c is '"' or '\'')
        {
            var end = text.IndexOf(c, _at + 1);
            if (end < 0) throw Error("a text is not closed");
            var literal = text[(_at + 1)..end];
            _at = end + 1;
            return new ConditionNode.Literal(GateValue.Of(literal));
        }
        if (char.IsAsciiDigit(c) || c == '.')
        {
            var start = _at;
            while (_at < text.Length && (char.IsAsciiDigit(text[_at]) || text[_at] is '.' or 'e' or 'E'
                || (text[_at] is '+' or '-' && text[_at - 1] is 'e' or 'E'))) _at++;
            if (!double.TryParse(text[start.._at], NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
                throw new ConditionException($"'{text[start.._at]}' is not a number", start + 1);
            return new ConditionNode.Literal(GateValue.Of(n));
        }
        if (char.IsAsciiLetter(c) || c == '_')
        {
            var start = _at;
            while (_at < text.Length && (char.IsAsciiLetterOrDigit(text[_at]) || text[_at] == '_')) _at++;
            var word = text[start.._at];
            return word switch
            {
                "true" => new ConditionNode.Literal(GateValue.Of(true)),
                "false" => new ConditionNode.Literal(GateValue.Of(false)),
                "and" or "or" or "not" => throw new ConditionException($"'{word}' where a value was expected", start + 1),
                _ => new ConditionNode.Name(word, start + 1),
            };
        }
        throw Error($"unexpected '{c}'");
    }

    private void Skip()
    {
        while (_at < text.Length && char.IsWhiteSpace(text[_at])) _at++;
    }

    private bool Peek(string token)
    {
        Skip();
        return string.CompareOrdinal(text, _at, token, 0, token.Length) == 0;
    }

    private bool Accept(string token)
    {
        if (!Peek(token)) return false;
        _at += token.Length;
        return true;
    }

    private bool AcceptWord(string word)
    {
        if (!Peek(word)) return false;
        var end = _at + word.Length;
        if (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_')) return false;
        _at = end;
        return true;
    }

    private ConditionException Error(string problem) => new(problem, _at + 1);
}
