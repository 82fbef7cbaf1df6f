namespace Resilience.Testing;

/// <summary>A test class with its own <see cref="EngineHarness"/>, removed when xunit disposes the class.</summary>
public abstract class EngineTest : IDisposable
{
    protected EngineHarness Harness { get; } = new();

    public void Dispose()
    {
        Harness.Dispose();
        GC.SuppressFinalize(this);
    }
}
