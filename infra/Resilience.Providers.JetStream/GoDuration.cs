using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Resilience.Providers.JetStream;

/// <summary>Durations as Go (and so NATS configs) write them: "24h", "2m", "1h30m", "500ms", "0".</summary>
public static partial class GoDuration
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (text == "0") return true;
        var matches = Part().Matches(text);
        if (matches.Count == 0 || matches.Sum(m => m.Length) != text.Length) return false;
        double ticks = 0;
        foreach (Match m in matches)
        {
            var number = double.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
            ticks += number * TicksPer(m.Groups["unit"].Value);
        }
        if (ticks > TimeSpan.MaxValue.Ticks) return false;
        value = TimeSpan.FromTicks((long)Math.Round(ticks));
        return true;
    }

    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero) return "0s";
        var text = new StringBuilder();
        var hours = (long)value.TotalHours;
        if (hours > 0) text.Append(CultureInfo.InvariantCulture, $"{hours}h");
        if (value.Minutes > 0) text.Append(CultureInfo.InvariantCulture, $"{value.Minutes}m");
        if (value.Seconds > 0) text.Append(CultureInfo.InvariantCulture, $"{value.Seconds}s");
        var belowSecond = value.Ticks % TimeSpan.TicksPerSecond;
        if (belowSecond % TimeSpan.TicksPerMillisecond == 0)
        {
            if (belowSecond > 0) text.Append(CultureInfo.InvariantCulture, $"{belowSecond / TimeSpan.TicksPerMillisecond}ms");
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"{belowSecond * 100}ns");
        }
        return text.ToString();
    }

    private static double TicksPer(string unit) => unit switch
    {
        "ns" => 0.01,
        "us" or "µs" => 10,
        "ms" => TimeSpan.TicksPerMillisecond,
        "s" => TimeSpan.TicksPerSecond,
        "m" => TimeSpan.TicksPerMinute,
        _ => TimeSpan.TicksPerHour,
    };

    [GeneratedRegex(@"(?<n>\d+(\.\d+)?)(?<unit>ns|us|µs|ms|s|m|h)")]
    private static partial Regex Part();
}
