namespace Resilience.Contracts;

/// <summary>Modes of folders in an image, as octal text ("755", "1777").</summary>
public static class Octal
{
    public const UnixFileMode DirectoryDefault = (UnixFileMode)0b111_101_101; // 0755

    public static bool TryParse(string text, out UnixFileMode mode)
    {
        mode = 0;
        if (text.Length is 0 or > 4 || text.Any(c => c is < '0' or > '7')) return false;
        mode = (UnixFileMode)Convert.ToInt32(text, 8);
        return true;
    }
}
