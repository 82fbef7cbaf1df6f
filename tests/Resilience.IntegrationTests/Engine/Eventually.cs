namespace Resilience.IntegrationTests.Engine;

internal static class Eventually
{
    /// <summary>Polls until the condition holds; how long that took, or null when it never did within the timeout.</summary>
    public static async Task<TimeSpan?> WithinAsync(TimeSpan timeout, Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await condition()) return clock.Elapsed;
            if (clock.Elapsed > timeout) return null;
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
    }
}
