namespace Resilience.IntegrationTests.Security;

/// <summary>One attempt of a load client that failed and was retried: when (since the load started), what, why.</summary>
public sealed record FailedAttempt(TimeSpan At, string Item, string Why)
{
    /// <summary>The attempts grouped by item: "sample 39: 10 attempts 4.8-5.7 s: Connection refused (…)".</summary>
    public static IEnumerable<string> Outages(IEnumerable<FailedAttempt> attempts) =>
        attempts.GroupBy(a => a.Item).Select(g =>
            $"{g.Key}: {g.Count()} attempts {g.First().At.TotalSeconds:0.0}-{g.Last().At.TotalSeconds:0.0} s: {string.Join(" / ", g.Select(a => a.Why).Distinct())}");
}
