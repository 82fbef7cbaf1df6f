using System.Globalization;
using System.Text.RegularExpressions;

namespace Resilience.DemoFleet.Contracts;

/// <summary>Durations as the stack files write them: "500ms", "5s", "2m", "1h" (one unit, whole numbers).</summary>
public static partial class FleetDuration
{
    [GeneratedRegex(@"^(?<n>\d{1,9})(?<unit>ms|s|m|h)$")]
    private static partial Regex Pattern();

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var match = Pattern().Match(text.Trim());
        if (!match.Success)
        {
            return false;
        }
        var n = long.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
        value = match.Groups["unit"].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(n),
            "s" => TimeSpan.FromSeconds(n),
            "m" => TimeSpan.FromMinutes(n),
            _ => TimeSpan.FromHours(n),
        };
        return true;
    }

    /// <summary>The largest unit that states <paramref name="value"/> exactly, so <see cref="TryParse"/> reads it back.</summary>
    public static string Format(TimeSpan value)
    {
        var ms = (long)value.TotalMilliseconds;
        return ms % 3_600_000 == 0 && ms > 0 ? $"{ms / 3_600_000}h"
            : ms % 60_000 == 0 && ms > 0 ? $"{ms / 60_000}m"
            : ms % 1000 == 0 && ms > 0 ? $"{ms / 1000}s"
            : $"{ms}ms";
    }
}
