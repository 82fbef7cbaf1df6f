using System.Text.RegularExpressions;

namespace Resilience.Providers.Files;

/// <summary>Permission bits written as an octal string ("0644"), as chmod takes them.</summary>
public static partial class OctalMode
{
    public const UnixFileMode GroupOrOtherAccess = (UnixFileMode)0b000_111_111;

    public static bool TryParse(string text, out UnixFileMode mode)
    {
        mode = default;
        if (!OctalDigits().IsMatch(text)) return false;
        mode = (UnixFileMode)Convert.ToInt32(text, 8);
        return true;
    }

    public static string Format(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0b111_111_111, 8).PadLeft(3, '0');

    [GeneratedRegex("^0?[0-7]{3}$")]
    private static partial Regex OctalDigits();
}
