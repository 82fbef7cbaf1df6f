namespace Resilience.Testing.Runtime;

/// <summary>A test class that starts real servers: a scratch directory for them, and an HTTP client to reach them.</summary>
public abstract class ServerTest : IDisposable
{
    private HttpClient? _http;

    protected TempDir Dir { get; } = new();

    protected HttpClient Http => _http ??= new() { Timeout = TimeSpan.FromSeconds(10) };

    public void Dispose()
    {
        _http?.Dispose();
        Dir.Dispose();
        GC.SuppressFinalize(this);
    }
}
