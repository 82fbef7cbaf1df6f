using Resilience.Operations.Status;

namespace Resilience.IntegrationTests.Topology;

/// <summary>
/// When each side noticed a silent cut, timed from the cut: the edge's /leafz losing its leaf, the hub's /leafz
/// (which may keep a dead leaf for minutes), and the hub's sourced stream's Active passing the stale threshold.
/// </summary>
public sealed record CutDetection(TimeSpan? EdgeLeafDown, TimeSpan? HubLeafDown, TimeSpan? HubSourceStale, TimeSpan? MaxActive)
{
    /// <summary>Polls until the edge has dropped the leaf and the hub's source is stale (or the timeout passes).</summary>
    public static async Task<CutDetection> WatchAsync(TopologyStacks stacks, JetStreamClient hub, string sourcedStream, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan? edgeDown = null, hubDown = null, stale = null, maxActive = null;
        while (clock.Elapsed < timeout && (edgeDown is null || stale is null))
        {
            if (edgeDown is null && await TopologyStacks.LeafCountAsync(stacks.Pc2Monitor) == 0) edgeDown = clock.Elapsed;
            if (hubDown is null && await TopologyStacks.LeafCountAsync(stacks.MainPcMonitor) == 0) hubDown = clock.Elapsed;
            var active = (await hub.InfoAsync(sourcedStream)).Sources?.SingleOrDefault()?.Active;
            if (active > maxActive || maxActive is null) maxActive = active;
            if (stale is null && active > SourceStatus.StaleAfter) stale = clock.Elapsed;
            await Task.Delay(200);
        }
        if (edgeDown is null || stale is null) throw new TimeoutException($"the cut was not noticed within {timeout}: {new CutDetection(edgeDown, hubDown, stale, maxActive)}");
        return new CutDetection(edgeDown, hubDown, stale, maxActive);
    }

    public override string ToString() =>
        $"pc2 leafz down after {Show(EdgeLeafDown)}, mainpc leafz down after {Show(HubLeafDown)}, "
        + $"mainpc source Active > {SourceStatus.StaleAfter.TotalSeconds:0} s after {Show(HubSourceStale)} (max Active {Show(MaxActive)})";

    private static string Show(TimeSpan? t) => t is { } v ? $"{v.TotalSeconds:0.0} s" : "never";
}
