namespace Resilience.Tests.Operations;

/// <summary>The captured nats-server answers in Fixtures/ (see its README for how each was taken).</summary>
internal static class MonitorAnswerFixtures
{
    public static string Read(string name) =>
        File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "Resilience.Tests", "Operations", "Fixtures", $"nats-2.9.10-{name}.json"));
}
