namespace Resilience.DemoFleet.Tests.Integration;

public static class Wait
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan limit, string what)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"waited {limit.TotalSeconds} s for {what}");
    }
}
