namespace Resilience.Providers.Docker.Images;

internal static class ElfFile
{
    /// <summary>True when the file starts with the ELF magic bytes.</summary>
    public static bool Is(string path)
    {
        Span<byte> magic = stackalloc byte[4];
        using var stream = File.OpenRead(path);
        return stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4
            && magic[0] == 0x7F && magic[1] == (byte)'E' && magic[2] == (byte)'L' && magic[3] == (byte)'F';
    }
}
