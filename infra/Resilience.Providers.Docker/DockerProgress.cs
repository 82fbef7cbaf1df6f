namespace Resilience.Providers.Docker;

/// <summary>
/// Collects the JSON messages of a streaming call synchronously (Progress&lt;T&gt; would post them later), and
/// turns an error message — which Docker.DotNet does not throw — into an exception.
/// </summary>
internal sealed class DockerProgress : IProgress<JSONMessage>
{
    private readonly List<JSONMessage> _messages = [];

    public IReadOnlyList<JSONMessage> Messages => _messages;

    public void Report(JSONMessage value)
    {
        lock (_messages) _messages.Add(value);
    }

    public void ThrowOnError(string what)
    {
        var error = _messages.FirstOrDefault(m => m.Error is not null || !string.IsNullOrEmpty(m.ErrorMessage));
        if (error is not null) throw new InvalidOperationException($"{what} failed: {error.Error?.Message ?? error.ErrorMessage}");
    }
}
