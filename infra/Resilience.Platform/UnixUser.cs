using System.Globalization;

namespace Resilience.Platform;

/// <summary>A numeric user and group, written <c>uid:gid</c>: a file's owner, or the user a process runs as.</summary>
public readonly record struct UnixUser(uint Uid, uint Gid)
{
    public static bool TryParse(string text, out UnixUser user)
    {
        user = default;
        var parts = text.Split(':');
        if (parts.Length != 2) return false;
        if (!uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)) return false;
        if (!uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var gid)) return false;
        user = new UnixUser(uid, gid);
        return true;
    }

    public override string ToString() => $"{Uid}:{Gid}";
}
