using Resilience.Stack.Inventory;
using Resilience.Stack.Review;

namespace Resilience.Tests.Review;

public sealed class ChangeReviewTests
{
    [Fact]
    public void Waves_join_consecutive_batches_into_one_range()
    {
        Assert.Equal("batch 1-3", ChangeReview.Waves([Wave.Batch2, Wave.Batch1, Wave.Batch3, Wave.Batch1]));
        Assert.Equal("pilots, batch 1, batch 3, week 3", ChangeReview.Waves([Wave.Week3, Wave.Batch3, Wave.Pilot, Wave.Batch1]));
    }

    [Fact]
    public void Scrape_targets_are_read_with_their_job_and_agent_label()
    {
        var targets = ScrapeTargets.Read("""
            scrape_configs:
              - job_name: pushgateway
                static_configs:
                  - targets: ["127.0.0.3:9091"]
              - job_name: agents
                static_configs:
                  - targets: ["127.0.0.3:7204"]
                    labels: {agent: Pc2Agent04}
            """);
        Assert.Equal([new ScrapeTarget("agents", "127.0.0.3:7204", "Pc2Agent04"), new ScrapeTarget("pushgateway", "127.0.0.3:9091", null)],
            targets!.OrderBy(t => t.Job, StringComparer.Ordinal));
        Assert.Null(ScrapeTargets.Read("scrape_configs: [unclosed"));
    }
}
