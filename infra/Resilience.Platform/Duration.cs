using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Resilience.Platform;

/// <summary>
/// The one duration grammar of configs, stream inputs and the runtime (Prometheus's, which Go also reads but for
/// d/w/y): whole numbers with units from largest to smallest, each unit at most once — <c>500ms</c>, <c>30s</c>,
/// <c>5m</c>, <c>1h30m</c>, <c>2h</c>, <c>30d</c>, <c>1w</c>, <c>1y</c> (365 days) — or a bare <c>0</c>. Refused, each with
/// what to write instead: fractions (<c>1.5s</c>), bare numbers (<c>30</c>), units below a millisecond, signs, spaces,
/// units out of order. <see cref="ToString"/> writes hours, minutes, seconds and milliseconds only, which Go,
/// nats-server, Prometheus and the runtime all read.
/// </summary>
public readonly partial record struct Duration(TimeSpan Value) : IComparable<Duration>
{
    public const string Examples = "500ms, 30s, 5m, 1h30m, 2h";
    private const long TicksPerWeek = TimeSpan.TicksPerDay * 7;
    private const long TicksPerYear = TimeSpan.TicksPerDay * 365;

    public static implicit operator TimeSpan(Duration d) => d.Value;

    public static Duration Parse(string text) =>
        TryParse(text, out var value, out var problem) ? value : throw new FormatException(problem);

    public static bool TryParse(string? text, out Duration value) => TryParse(text, out value, out _);

    /// <param name="problem">When false: "'TEXT' …" saying what is wrong and, where it can tell, what to write.</param>
    public static bool TryParse(string? text, out Duration value, out string problem)
    {
        value = default;
        problem = "";
        text ??= "";
        if (text == "0") return true;
        var match = Strict().Match(text);
        if (text.Length > 0 && match.Success)
        {
            long ticks = 0;
            try
            {
                foreach (var (group, per) in Units)
                {
                    if (match.Groups[group].Success)
                        ticks = checked(ticks + checked(long.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) * per));
                }
            }
            catch (Exception e) when (e is OverflowException)
            {
                problem = $"'{text}' is too long a duration";
                return false;
            }
            value = new Duration(TimeSpan.FromTicks(ticks));
            return true;
        }
        problem = $"'{text}' is not a duration ({Examples}){Hint(text)}";
        return false;
    }

    /// <summary>Go reads no days, weeks or years: a value nats-server parses must say 168h, not 7d or 1w.</summary>
    public static bool TryParseGo(string? text, out Duration value, out string problem)
    {
        if (!TryParse(text, out value, out problem)) return false;
        if (text!.IndexOfAny(['d', 'w', 'y']) < 0) return true;
        problem = $"'{text}' uses days, weeks or years, which Go (nats-server) does not read: write {value}";
        return false;
    }

    public int CompareTo(Duration other) => Value.CompareTo(other.Value);

    public static bool operator <(Duration a, Duration b) => a.Value < b.Value;
    public static bool operator >(Duration a, Duration b) => a.Value > b.Value;
    public static bool operator <=(Duration a, Duration b) => a.Value <= b.Value;
    public static bool operator >=(Duration a, Duration b) => a.Value >= b.Value;

    /// <summary>Hours, minutes, seconds, milliseconds ("1h30m", "500ms", "0s"); below a millisecond is rounded off.</summary>
    public override string ToString()
    {
        var ms = (long)Math.Round(Value.TotalMilliseconds, MidpointRounding.AwayFromZero);
        if (ms == 0) return "0s";
        var text = new StringBuilder();
        if (ms < 0)
        {
            text.Append('-');
            ms = -ms;
        }
        void Part(long per, string unit)
        {
            if (ms < per) return;
            text.Append(CultureInfo.InvariantCulture, $"{ms / per}{unit}");
            ms %= per;
        }
        Part(3_600_000, "h");
        Part(60_000, "m");
        Part(1000, "s");
        Part(1, "ms");
        return text.ToString();
    }

    private static readonly (string Group, long TicksPer)[] Units =
    [
        ("y", TicksPerYear), ("w", TicksPerWeek), ("d", TimeSpan.TicksPerDay), ("h", TimeSpan.TicksPerHour),
        ("m", TimeSpan.TicksPerMinute), ("s", TimeSpan.TicksPerSecond), ("ms", TimeSpan.TicksPerMillisecond),
    ];

    /// <summary>What to write instead of a form other parsers accept (Go's fractions and any order, bare seconds).</summary>
    private static string Hint(string text)
    {
        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
            return Suggest(seconds * TimeSpan.TicksPerSecond, "a number needs a unit");
        var parts = Lenient().Matches(text);
        if (parts.Count == 0 || parts.Sum(p => p.Length) != text.Length) return "";
        if (parts.Any(p => p.Groups["unit"].Value is "ns" or "us" or "µs")) return "; units below a millisecond are not read";
        var ticks = parts.Sum(p => decimal.Parse(p.Groups["n"].Value, CultureInfo.InvariantCulture) * TicksPer(p.Groups["unit"].Value));
        return Suggest(ticks, "whole numbers, largest unit first, each unit once");
    }

    private static string Suggest(decimal ticks, string rule)
    {
        if (ticks > TimeSpan.MaxValue.Ticks || ticks % TimeSpan.TicksPerMillisecond != 0) return $"; {rule}";
        return $"; {rule}: write {new Duration(TimeSpan.FromTicks((long)ticks))}";
    }

    private static long TicksPer(string unit) => Array.Find(Units, u => u.Group == unit).TicksPer;

    [GeneratedRegex(@"^(?:(?<y>[0-9]+)y)?(?:(?<w>[0-9]+)w)?(?:(?<d>[0-9]+)d)?(?:(?<h>[0-9]+)h)?(?:(?<m>[0-9]+)m)?(?:(?<s>[0-9]+)s)?(?:(?<ms>[0-9]+)ms)?$")]
    private static partial Regex Strict();

    [GeneratedRegex(@"(?<n>[0-9]+(\.[0-9]+)?)(?<unit>ns|us|µs|ms|s|m|h|d|w|y)")]
    private static partial Regex Lenient();
}
