using System.Globalization;

namespace Resilience.Providers.Files;

/// <summary>A numeric owner, written "uid:gid" in inputs.</summary>
public readonly record struct FileOwner(uint Uid, uint Gid)
{
    public static bool TryParse(string text, out FileOwner owner)
    {
        owner = default;
        var parts = text.Split(':');
        if (parts.Length != 2) return false;
        if (!uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)) return false;
        if (!uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var gid)) return false;
        owner = new FileOwner(uid, gid);
        return true;
    }

    public override string ToString() => $"{Uid}:{Gid}";
}
