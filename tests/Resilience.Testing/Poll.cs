namespace Resilience.Testing;

/// <summary>Waits for a condition that becomes true in its own time, and says what it waited for when it does not.</summary>
public static class Poll
{
    /// <param name="detail">What to add to the timeout message, read only when the wait fails (e.g. a status page).</param>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan limit, string what, Func<Task<string>>? detail = null)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                var more = detail is null ? "" : $"; {await detail()}";
                throw new TimeoutException($"timed out after {limit.TotalSeconds}s waiting for {what}{more}");
            }
            await Task.Delay(50);
        }
    }
}
