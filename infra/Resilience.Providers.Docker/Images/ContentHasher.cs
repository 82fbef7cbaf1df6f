using System.Text;
using Resilience.Contracts;
using Resilience.Platform;

namespace Resilience.Providers.Docker.Images;

/// <summary>
/// Fingerprint of a local image: its build inputs plus the path, mode and bytes of every entry of its root
/// file system. A changed binary or library (a Debian upgrade) changes it even when the inputs do not.
/// </summary>
public sealed class ContentHasher(FileHashCache files)
{
    /// <param name="build">The build inputs, written by the one serializer: the same hash however the JSON was spelled.</param>
    public string Compute(ImageBuild? build, RootfsPlan plan)
    {
        var manifest = new StringBuilder();
        manifest.Append(build is null ? "null" : ContractJson.Write(build).ToJsonString()).Append('\n');
        foreach (var entry in plan.Entries)
        {
            manifest.Append(entry.Kind == RootfsEntryKind.Directory ? 'D' : 'F')
                .Append(' ').Append(entry.Path)
                .Append(' ').Append(Convert.ToString((int)entry.Mode, 8));
            if (entry.Kind == RootfsEntryKind.File)
            {
                manifest.Append(' ').Append(entry.Content is not null ? ContentHash.Hex(entry.Content) : files.HashOf(entry.SourcePath!));
            }
            manifest.Append('\n');
        }
        return ContentHash.Tagged(manifest.ToString());
    }
}
