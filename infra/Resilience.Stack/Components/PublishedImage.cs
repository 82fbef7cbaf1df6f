using Resilience.Contracts.Dotnet;
using Resilience.Model;

namespace Resilience.Stack.Components;

/// <summary>A local image of one of the repo's .NET programs: a dotnet:publish of its project, then the image of the file.</summary>
public static class PublishedImage
{
    /// <param name="name">The resources' name and the image's (resilience-STACK/NAME:TAG).</param>
    /// <param name="project">The program's project folder, relative to the project directory.</param>
    /// <param name="sourceHash">Hash of the program's sources (<see cref="RuntimeSources"/>).</param>
    public static Resource Declare(StackBuilder b, string name, string project, string binary, string version,
        string sourceHash, string[] dirs, string? user = null)
    {
        // Named by the sources: a change publishes into a new folder and makes a new image, so the container is replaced too.
        // The folder is in the project's bin/, a build cache every stack built from the same sources shares.
        var tag = $"{version}-{sourceHash["sha256:".Length..][..12]}";
        var folder = Path.GetFullPath(Path.Combine(b.ProjectDir, project));
        var output = Path.Combine(folder, "bin", "publish", tag);
        var publish = b.Add(name, new PublishInputs
        {
            Project = folder,
            Output = output,
            Binary = binary,
            Runtime = "linux-x64",
            Configuration = "Release",
            SourceHash = sourceHash,
        });
        return b.Add(name, StackImages.LocalDotnet(b.Stack, name, Path.Combine(output, binary), tag, dirs, user), [publish]);
    }
}
