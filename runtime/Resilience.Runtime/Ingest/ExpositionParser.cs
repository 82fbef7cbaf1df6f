using System.Globalization;
using System.Text;

namespace Resilience.Runtime.Ingest;

/// <summary>Parses the Prometheus text exposition format (version 0.0.4): sample lines; comments are skipped.</summary>
public static class ExpositionParser
{
    public static IReadOnlyList<ExpositionLine> Parse(string text)
    {
        var result = new List<ExpositionLine>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r').Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            try
            {
                result.Add(new LineReader(line).Read());
            }
            catch (FormatException e)
            {
                throw new FormatException($"line {i + 1}: {e.Message}: {line}");
            }
        }
        return result;
    }

    public static bool IsMetricName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':');

    public static bool IsLabelName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private ref struct LineReader(string line)
    {
        private int _pos;

        public ExpositionLine Read()
        {
            var name = Identifier();
            if (!IsMetricName(name))
            {
                throw new FormatException($"invalid metric name '{name}'");
            }
            var labels = new List<KeyValuePair<string, string>>();
            SkipSpaces();
            if (Peek() == '{')
            {
                _pos++;
                ReadLabels(labels);
            }
            SkipSpaces();
            var value = ParseValue(Token());
            SkipSpaces();
            long? timestamp = null;
            if (_pos < line.Length)
            {
                var ts = Token();
                timestamp = long.TryParse(ts, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var t)
                    ? t
                    : throw new FormatException($"invalid timestamp '{ts}'");
                SkipSpaces();
                if (_pos < line.Length)
                {
                    throw new FormatException("unexpected text after the timestamp");
                }
            }
            return new ExpositionLine(name, labels, value, timestamp);
        }

        private void ReadLabels(List<KeyValuePair<string, string>> labels)
        {
            while (true)
            {
                SkipSpaces();
                if (Peek() == '}')
                {
                    _pos++;
                    return;
                }
                var name = Identifier();
                if (!IsLabelName(name))
                {
                    throw new FormatException($"invalid label name '{name}'");
                }
                if (name == "__name__")
                {
                    throw new FormatException("label name '__name__' is reserved");
                }
                if (labels.Any(l => l.Key == name))
                {
                    throw new FormatException($"label '{name}' appears twice");
                }
                SkipSpaces();
                Expect('=');
                SkipSpaces();
                labels.Add(new(name, QuotedValue()));
                SkipSpaces();
                if (Peek() == ',')
                {
                    _pos++;
                }
                else if (Peek() != '}')
                {
                    throw new FormatException("expected ',' or '}' in the label set");
                }
            }
        }

        private string QuotedValue()
        {
            Expect('"');
            var value = new StringBuilder();
            while (_pos < line.Length && line[_pos] != '"')
            {
                var c = line[_pos++];
                if (c == '\\' && _pos < line.Length)
                {
                    var escaped = line[_pos++];
                    value.Append(escaped switch { 'n' => '\n', '\\' => '\\', '"' => '"', _ => throw new FormatException($"invalid escape '\\{escaped}'") });
                }
                else
                {
                    value.Append(c);
                }
            }
            Expect('"');
            return value.ToString();
        }

        // As Go's ParseFloat, which the Pushgateway uses: the special values in any case.
        private static double ParseValue(string text) => text.ToLowerInvariant() switch
        {
            "+inf" or "inf" => double.PositiveInfinity,
            "-inf" => double.NegativeInfinity,
            "nan" => double.NaN,
            _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
                ? v
                : throw new FormatException($"invalid value '{text}'"),
        };

        private string Identifier()
        {
            var start = _pos;
            while (_pos < line.Length && (char.IsAsciiLetterOrDigit(line[_pos]) || line[_pos] is '_' or ':'))
            {
                _pos++;
            }
            return line[start.._pos];
        }

        private string Token()
        {
            var start = _pos;
            while (_pos < line.Length && line[_pos] is not (' ' or '\t'))
            {
                _pos++;
            }
            return start == _pos ? throw new FormatException("missing value") : line[start.._pos];
        }

        private void SkipSpaces()
        {
            while (_pos < line.Length && line[_pos] is ' ' or '\t')
            {
                _pos++;
            }
        }

        private readonly char Peek() => _pos < line.Length ? line[_pos] : '\0';

        private void Expect(char c)
        {
            if (Peek() != c)
            {
                throw new FormatException($"expected '{c}' at column {_pos + 1}");
            }
            _pos++;
        }
    }
}
