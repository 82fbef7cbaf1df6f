using System.Text.Json.Nodes;
using Resilience.Model;

namespace Resilience.Providers.Files;

/// <summary>
/// A file that was on the machine before the tool took its path over (a machine's own agent config), kept in the
/// resource's outputs byte for byte with its mode and owner. Its content is a secret: the state stores it encrypted
/// with the stack's passphrase, never in clear, and nothing prints it.
/// </summary>
public sealed record OriginalFile(byte[] Content, UnixFileMode Mode, FileOwner Owner)
{
    public const string OutputKey = "original";

    public static OriginalFile Read(string path)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("file modes and owners need Linux");
        return new OriginalFile(File.ReadAllBytes(path), File.GetUnixFileMode(path), Posix.OwnerOf(path));
    }

    public JsonObject ToOutput() => new()
    {
        ["content"] = Secret.Wrap(Convert.ToBase64String(Content)),
        ["mode"] = OctalMode.Format(Mode),
        ["owner"] = Owner.ToString(),
    };

    /// <summary>The original kept in <paramref name="outputs"/>, or null when none was.</summary>
    /// <exception cref="InvalidOperationException">One was kept but its content cannot be read back (stored as a fingerprint).</exception>
    public static OriginalFile? From(JsonObject outputs, string path)
    {
        if (outputs[OutputKey] is not JsonObject kept) return null;
        if (!Secret.IsSecret(kept["content"]))
        {
            throw new InvalidOperationException(
                $"{path}: the original file kept in state cannot be decrypted (the stack's passphrase is missing or changed), so it is not put back");
        }
        var content = Convert.FromBase64String(Secret.Reveal(kept["content"])!);
        var mode = OctalMode.TryParse(kept["mode"]?.GetValue<string>() ?? "", out var m) ? m : FileSpec.DefaultMode;
        var owner = FileOwner.TryParse(kept["owner"]?.GetValue<string>() ?? "", out var o) ? o : default;
        return new OriginalFile(content, mode, owner);
    }

    /// <summary>Writes it back where it was, atomically, with its mode (and its owner when running as root).</summary>
    public void PutBack(string path) => AtomicFile.Write(path, Content, Mode, Posix.IsRoot ? Owner : null);
}
