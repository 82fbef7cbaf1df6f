using Resilience.IntegrationTests.Engine;
using Resilience.IntegrationTests.Topology;

[assembly: TestCollectionOrderer("Resilience.IntegrationTests.LongestFirstCollectionOrderer", "Resilience.IntegrationTests")]

namespace Resilience.IntegrationTests;

/// <summary>
/// Starts the longest collections first (measured in CI), so the short ones fill the other thread beside them instead of
/// leaving a long one to run alone at the end of the parallel collections; the rest by name.
/// </summary>
public sealed class LongestFirstCollectionOrderer : ITestCollectionOrderer
{
    /// <summary>Collection names, or the class of a class's own collection, longest first.</summary>
    private static readonly string[] Longest =
        [DemoStacksCollection.Name, TopologyCollection.Name, EngineStacksCollection.Name, "AlertNotificationTests", "RuntimeFailoverTests", "SecretEndToEndTests"];

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderBy(Rank).ThenBy(c => c.DisplayName, StringComparer.Ordinal);

    private static int Rank(ITestCollection collection)
    {
        var name = collection.DisplayName;
        var rank = Array.FindIndex(Longest, l => name == l || name.EndsWith("." + l, StringComparison.Ordinal));
        return rank < 0 ? Longest.Length : rank;
    }
}
