using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Resilience.Providers.Docker.Images;

public interface ISharedLibraryResolver
{
    /// <summary>Absolute paths of the shared libraries and the loader an ELF binary needs; empty for a static one.</summary>
    IReadOnlyList<string> Resolve(string binary);
}

/// <summary>Asks the system's ldd, which knows the loader's search rules better than any reimplementation.</summary>
public sealed partial class LddResolver : ISharedLibraryResolver
{
    public IReadOnlyList<string> Resolve(string binary)
    {
        var start = new ProcessStartInfo("ldd") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(binary);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start ldd");
        var stdout = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            // ldd exits 1 for static binaries and non-dynamic files: nothing to add.
            if ((stdout + stderr).Contains("not a dynamic executable", StringComparison.Ordinal)
                || (stdout + stderr).Contains("statically linked", StringComparison.Ordinal)) return [];
            throw new InvalidOperationException($"ldd {binary} failed: {stderr.Trim()}");
        }
        return Parse(stdout, binary);
    }

    internal static IReadOnlyList<string> Parse(string lddOutput, string binary)
    {
        var libraries = new List<string>();
        foreach (var line in lddOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.Contains("not found", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{binary} needs a library the host does not have: {line}");
            }
            var match = LibraryLine().Match(line);
            if (match.Success) libraries.Add(match.Groups["path"].Value);
        }
        return libraries;
    }

    // "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" or "/lib64/ld-linux-x86-64.so.2 (0x...)"; vdso has no path.
    [GeneratedRegex(@"^(?:\S+\s+=>\s+)?(?<path>/\S+)\s+\(0x[0-9a-f]+\)$")]
    private static partial Regex LibraryLine();
}
