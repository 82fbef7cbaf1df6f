using Resilience.Runtime.Config;
using Resilience.Runtime.Contracts;
using Resilience.Runtime.Ingest;

namespace Resilience.Runtime.Tests.Unit;

public class ResendWindowTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private const int Next = 1; // the hub after the failed tier 0

    private static DateTimeOffset At(double seconds) => T0.AddSeconds(seconds);

    private static ResendWindow Window(double seconds = 3, int maxSamples = 1000, long maxBytes = 1 << 20) =>
        new(new ResendConfig(TimeSpan.FromSeconds(seconds), maxSamples, maxBytes));

    private static MetricSample Sample(int seq, long timestampMs) =>
        new([new("__name__", "m"), new("seq", seq.ToString(System.Globalization.CultureInfo.InvariantCulture))], seq, timestampMs);

    private static int[] Seqs(IEnumerable<MetricSample> samples) => samples.Select(s => (int)s.Value).ToArray();

    [Fact]
    public void Keeps_only_what_the_failed_tier_accepted_within_the_window_before_the_failure()
    {
        var w = Window(seconds: 3);
        w.Record(0, [Sample(1, 1000)], At(1)); // 4 s before the failure: outside
        w.Record(0, [Sample(2, 2000)], At(2)); // exactly failure - window: inside
        w.Record(1, [Sample(3, 3000)], At(3)); // another tier: not the failed one
        w.Record(0, [Sample(4, 4000)], At(4.9));
        w.TierFailed(0, At(5));
        Assert.Equal([2, 4], Seqs(w.TakePending(Next)));
        // What was taken is no longer in the window; the other tier's sample is.
        Assert.Equal(1, w.RecentSamples);
    }

    [Fact]
    public void Includes_a_sample_the_failed_tier_accepted_after_the_switch_was_marked()
    {
        var w = Window();
        w.Record(0, [Sample(1, 1000)], At(1));
        w.TierFailed(0, At(2));
        w.Record(0, [Sample(2, 2100)], At(2.1)); // a forward in flight when the tier was marked failed
        Assert.Equal([1, 2], Seqs(w.TakePending(Next)));
    }

    [Fact]
    public void Forgets_samples_older_than_the_window_as_new_ones_arrive()
    {
        var w = Window(seconds: 2);
        w.Record(0, [Sample(1, 0), Sample(2, 0)], At(0));
        w.Record(0, [Sample(3, 0)], At(1.5));
        Assert.Equal(3, w.RecentSamples);
        w.Record(0, [Sample(4, 0)], At(2.5));
        Assert.Equal(2, w.RecentSamples);
        Assert.Equal(0, w.Dropped); // aged out, not dropped by a bound
    }

    [Fact]
    public void Orders_the_pending_samples_by_timestamp_keeping_them_unchanged()
    {
        var w = Window();
        var own = new MetricSample([new("__name__", "m"), new("machine", "pc2"), new("seq", "9")], 9, 1500);
        w.Record(0, [Sample(2, 2000), Sample(1, 1000)], At(1));
        w.Record(0, [own], At(1.5));
        w.TierFailed(0, At(2));
        var pending = w.TakePending(Next);
        Assert.Equal([1, 9, 2], Seqs(pending));
        Assert.Same(own, pending[1]);
    }

    [Fact]
    public void Only_the_failed_tier_s_samples_are_resent()
    {
        var w = Window();
        var sample = Sample(1, 1000);
        w.Record(0, [Sample(2, 1000)], At(1));
        w.Record(1, [sample], At(1));
        w.TierFailed(1, At(1.5));
        Assert.Same(sample, w.TakePending(0).Single());
    }

    [Fact]
    public void Bounds_the_window_by_samples_dropping_the_oldest()
    {
        var w = Window(maxSamples: 3);
        w.Record(0, [Sample(1, 1), Sample(2, 2), Sample(3, 3), Sample(4, 4)], At(0));
        w.Record(0, [Sample(5, 5)], At(0.5));
        Assert.Equal(3, w.RecentSamples);
        Assert.Equal(2, w.Dropped);
        w.TierFailed(0, At(1));
        Assert.Equal([3, 4, 5], Seqs(w.TakePending(Next)));
    }

    [Fact]
    public void Bounds_the_window_by_bytes_dropping_the_oldest()
    {
        var size = ResendWindow.SizeOf(Sample(1, 1));
        var w = Window(maxBytes: (2 * size) + (size / 2));
        w.Record(0, [Sample(1, 1), Sample(2, 2), Sample(3, 3)], At(0));
        Assert.Equal(2, w.RecentSamples);
        Assert.Equal(2L * size, w.RecentBytes);
        Assert.Equal(1, w.Dropped);
    }

    [Fact]
    public void Bounds_what_waits_to_be_resent_across_failures()
    {
        var w = Window(maxSamples: 3);
        w.Record(0, [Sample(1, 1), Sample(2, 2), Sample(3, 3)], At(0));
        w.TierFailed(0, At(0.5));
        Assert.Equal(3, w.TakePending(Next).Count);
        w.Record(1, [Sample(4, 4), Sample(5, 5)], At(1));
        w.TierFailed(1, At(1.5));
        Assert.Equal([3, 4, 5], Seqs(w.TakePending(2)));
        Assert.Equal(2, w.Dropped);
    }

    [Fact]
    public void Complete_removes_what_was_sent_and_keeps_the_rest_pending()
    {
        var w = Window();
        w.Record(0, [Sample(1, 1), Sample(2, 2), Sample(3, 3)], At(0));
        Assert.False(w.HasPendingFor(Next));
        w.TierFailed(0, At(1));
        Assert.True(w.HasPendingFor(Next));
        w.TakePending(Next);
        w.Complete(2);
        Assert.True(w.HasPendingFor(Next));
        Assert.Equal([3], Seqs(w.TakePending(Next)));
        w.Complete(1);
        Assert.False(w.HasPendingFor(Next));
        Assert.Empty(w.TakePending(Next));
    }

    /// <summary>
    /// Tier 0 failed while tier 1 was unreachable too; tier 0 came back first and is active again. Its window is not
    /// re-sent to it (it has those samples, and restarted it never forwards them): it waits for another hub.
    /// </summary>
    [Fact]
    public void A_hub_s_own_window_is_held_back_from_it_until_another_hub_is_active()
    {
        var w = Window();
        w.Record(0, [Sample(1, 1), Sample(2, 2)], At(0));
        w.TierFailed(0, At(1));
        Assert.True(w.HasPendingFor(0)); // a failure not yet applied
        Assert.Empty(w.TakePending(0));
        Assert.False(w.HasPendingFor(0));
        Assert.Equal(2, w.PendingSamples);
        w.Complete(0);
        Assert.True(w.HasPendingFor(Next));
        Assert.Equal([1, 2], Seqs(w.TakePending(Next)));
        w.Complete(2);
        Assert.Equal(0, w.PendingSamples);
    }

    /// <summary>A forward to tier 0 in flight when it was marked failed lands later: it must not age out the window's start.</summary>
    [Fact]
    public void A_late_record_does_not_prune_what_a_marked_failure_still_needs()
    {
        var w = Window(seconds: 3);
        w.Record(0, [Sample(1, 1000)], At(7.5)); // inside the window of a failure at 10
        w.TierFailed(0, At(10));
        w.Record(0, [Sample(2, 2000)], At(11)); // would prune everything before 8
        Assert.Equal([1, 2], Seqs(w.TakePending(Next)));
    }

    [Fact]
    public void A_zero_window_keeps_nothing()
    {
        var w = Window(seconds: 0);
        w.Record(0, [Sample(1, 1)], At(0));
        w.TierFailed(0, At(0));
        Assert.Equal(0, w.RecentSamples);
        Assert.False(w.HasPendingFor(Next));
        Assert.Empty(w.TakePending(Next));
    }

    [Theory]
    [InlineData("HTTP 400: out of order sample", true)]
    [InlineData("HTTP 400: duplicate sample for timestamp", true)]
    [InlineData("HTTP 400: out of bounds", false)]
    [InlineData(null, false)]
    public void Reads_prometheus_rejections_as_already_present_only_for_out_of_order_and_duplicates(string? error, bool present) =>
        Assert.Equal(present, ResendSender.IsAlreadyPresent(error));
}
