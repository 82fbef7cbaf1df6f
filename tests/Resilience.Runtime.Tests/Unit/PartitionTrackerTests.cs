using Resilience.Runtime.Partition;

namespace Resilience.Runtime.Tests.Unit;

public class PartitionTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset At(double seconds) => T0.AddSeconds(seconds);

    [Fact]
    public void Partitioned_after_the_threshold_of_consecutive_failures_since_the_first_of_them()
    {
        var t = new PartitionTracker(3);
        Assert.Null(t.Observe(true, true, At(0)));
        Assert.Null(t.Observe(false, true, At(1)));
        Assert.Null(t.Observe(false, true, At(2)));
        Assert.Null(t.Since);
        var start = t.Observe(false, true, At(3));
        Assert.Equal(new PartitionChange(true, At(1), At(3)), start);
        Assert.Equal(At(1), t.Since);
        Assert.Equal(At(3), t.DetectedAt);
        Assert.Null(t.Observe(false, true, At(4))); // reported once
        Assert.Equal(1, t.Partitions);
    }

    [Fact]
    public void A_reachable_probe_resets_the_streak()
    {
        var t = new PartitionTracker(3);
        t.Observe(false, true, At(1));
        t.Observe(false, true, At(2));
        t.Observe(true, true, At(3));
        t.Observe(false, true, At(4));
        t.Observe(false, true, At(5));
        Assert.Null(t.Since);
        Assert.NotNull(t.Observe(false, true, At(6)));
        Assert.Equal(At(4), t.Since);
    }

    [Fact]
    public void Probes_taken_while_local_NATS_is_down_neither_count_nor_reset()
    {
        var t = new PartitionTracker(3);
        t.Observe(false, true, At(1));
        Assert.Null(t.Observe(false, false, At(2)));
        Assert.Null(t.Observe(false, false, At(3)));
        t.Observe(false, true, At(4));
        Assert.Null(t.Since);
        Assert.NotNull(t.Observe(false, true, At(5)));
        Assert.Equal(At(1), t.Since);
        // A partitioned machine stays partitioned while its own NATS is down.
        Assert.Null(t.Observe(false, false, At(6)));
        Assert.NotNull(t.Since);
    }

    [Fact]
    public void Healing_keeps_the_gap_and_counts_late_events_inside_it_as_replayed()
    {
        var t = new PartitionTracker(2);
        t.Observe(false, true, At(10));
        t.Observe(false, true, At(11));
        var end = t.Observe(true, true, At(20));
        Assert.Equal(new PartitionChange(false, At(10), At(20)), end);
        Assert.Null(t.Since);
        Assert.Equal(TimeSpan.FromSeconds(10), t.LastGap!.Duration);
        Assert.Equal(At(11), t.LastGap.DetectedAt);

        Assert.True(t.NoteReceived(At(12)));
        Assert.True(t.NoteReceived(At(10)));
        Assert.True(t.NoteReceived(At(20)));
        Assert.False(t.NoteReceived(At(9.999)));  // before the gap
        Assert.False(t.NoteReceived(At(20.001))); // after it: live traffic
        Assert.Equal(3, t.LastGap.ReplayedEvents);
        Assert.Equal(3, t.ReplayedTotal);
    }

    [Fact]
    public void Events_from_inside_the_partition_that_arrive_before_the_heal_is_noticed_count_too()
    {
        var t = new PartitionTracker(1);
        t.Observe(false, true, At(10));
        Assert.False(t.NoteReceived(At(9)));   // older than the partition: not a replay
        Assert.True(t.NoteReceived(At(12)));   // the link is back before the next probe says so
        Assert.Null(t.LastGap);
        t.Observe(true, true, At(15));
        Assert.True(t.NoteReceived(At(13)));
        Assert.Equal(2, t.LastGap!.ReplayedEvents);
        Assert.Equal(2, t.ReplayedTotal);
    }

    [Fact]
    public void A_new_partition_starts_a_new_count()
    {
        var t = new PartitionTracker(1);
        t.Observe(false, true, At(1));
        t.Observe(true, true, At(2));
        t.NoteReceived(At(1.5));
        t.Observe(false, true, At(5));
        Assert.False(t.NoteReceived(At(1.5)));
        t.Observe(true, true, At(8));
        Assert.Equal(0, t.LastGap!.ReplayedEvents);
        Assert.Equal(At(5), t.LastGap.Since);
        Assert.Equal(1, t.ReplayedTotal);
        Assert.Equal(2, t.Partitions);
    }
}
