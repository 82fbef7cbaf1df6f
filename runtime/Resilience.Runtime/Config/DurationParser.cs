using System.Globalization;
using System.Text.RegularExpressions;

namespace Resilience.Runtime.Config;

/// <summary>Parses Prometheus-style durations: "250ms", "5s", "2m", "1h", or a bare number of seconds.</summary>
public static partial class DurationParser
{
    [GeneratedRegex(@"^(?<n>\d+(\.\d+)?)(?<unit>ms|s|m|h)?$")]
    private static partial Regex Pattern();

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var match = Pattern().Match(text?.Trim() ?? "");
        if (!match.Success)
        {
            return false;
        }
        var n = double.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
        value = match.Groups["unit"].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(n),
            "m" => TimeSpan.FromMinutes(n),
            "h" => TimeSpan.FromHours(n),
            _ => TimeSpan.FromSeconds(n),
        };
        return true;
    }
}
