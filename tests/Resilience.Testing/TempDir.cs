namespace Resilience.Runtime.Tests.Integration;

public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("resilience-runtime-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A server killed a moment ago may still be releasing files; the temp dir is cleaned by the OS.
        }
    }
}
