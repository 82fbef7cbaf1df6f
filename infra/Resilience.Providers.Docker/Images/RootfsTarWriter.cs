using System.Formats.Tar;

namespace Resilience.Providers.Docker.Images;

/// <summary>Writes a root file system plan as a tar stream owned by root, as `docker import` expects.</summary>
public static class RootfsTarWriter
{
    public static async Task WriteAsync(RootfsPlan plan, Stream output, CancellationToken ct)
    {
        await using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        foreach (var entry in plan.Entries)
        {
            var name = entry.Path.TrimStart('/');
            if (entry.Kind == RootfsEntryKind.Directory)
            {
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, name + "/") { Mode = entry.Mode }, ct);
                continue;
            }
            var file = new PaxTarEntry(TarEntryType.RegularFile, name) { Mode = entry.Mode };
            await using var data = entry.Content is not null ? new MemoryStream(entry.Content) : (Stream)File.OpenRead(entry.SourcePath!);
            file.DataStream = data;
            await writer.WriteEntryAsync(file, ct);
        }
    }
}
