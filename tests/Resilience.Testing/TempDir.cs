namespace Resilience.Testing;

/// <summary>A fresh directory under the system temp dir, removed on dispose.</summary>
public sealed class TempDir(string prefix = "resilience-test-") : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

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
