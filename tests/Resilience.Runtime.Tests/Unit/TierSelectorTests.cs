using Resilience.Runtime.Health;

namespace Resilience.Runtime.Tests.Unit;

public class TierSelectorTests
{
    private static readonly string[] Names = ["local-hub", "remote-hub", "pushgateway"];
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly FailoverPolicy Policy = new(3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(10), TimeSpan.Zero);

    private static DateTimeOffset At(double seconds) => T0.AddSeconds(seconds);

    [Fact]
    public void Starts_on_the_best_tier()
    {
        var s = new TierSelector(Names, Policy, T0);
        Assert.Equal(0, s.Active);
        Assert.True(s.IsProbeDue(0, T0));
    }

    [Fact]
    public void Fails_over_only_after_threshold_consecutive_failures()
    {
        var s = new TierSelector(Names, Policy, T0);
        Assert.Null(s.Observe(0, ProbeOutcome.Failed, At(1)));
        Assert.Null(s.Observe(0, ProbeOutcome.Failed, At(2)));
        var change = s.Observe(0, ProbeOutcome.Failed, At(3));
        Assert.NotNull(change);
        Assert.Equal((0, 1), (change.From, change.To));
        Assert.Contains("3 consecutive", change.Reason);
    }

    [Fact]
    public void A_success_resets_the_failure_count()
    {
        var s = new TierSelector(Names, Policy, T0);
        s.Observe(0, ProbeOutcome.Failed, At(1));
        s.Observe(0, ProbeOutcome.Failed, At(2));
        s.Observe(0, ProbeOutcome.Healthy, At(3));
        Assert.Null(s.Observe(0, ProbeOutcome.Failed, At(4)));
        Assert.Null(s.Observe(0, ProbeOutcome.Failed, At(5)));
        Assert.Equal(0, s.Active);
    }

    [Fact]
    public void Connection_refused_fails_over_at_once()
    {
        var s = new TierSelector(Names, Policy, T0);
        var change = s.Observe(0, ProbeOutcome.Refused, At(1));
        Assert.Equal(1, change?.To);
        Assert.Contains("refused", change!.Reason);
    }

    [Fact]
    public void Skips_down_tiers_and_falls_to_the_buffer_when_all_are_down()
    {
        var s = new TierSelector(Names, Policy, T0);
        s.Observe(1, ProbeOutcome.Refused, At(1));
        Assert.Equal(2, s.Observe(0, ProbeOutcome.Refused, At(1))?.To);
        var change = s.Observe(2, ProbeOutcome.Refused, At(1));
        Assert.Equal(s.BufferIndex, change?.To);
        Assert.Equal("buffer", s.Name(s.Active));
    }

    [Fact]
    public void Fails_back_only_after_the_hold_time_of_unbroken_health()
    {
        var s = new TierSelector(Names, Policy, T0);
        s.Observe(0, ProbeOutcome.Refused, At(0));
        Assert.Null(s.Observe(0, ProbeOutcome.Healthy, At(5)));
        Assert.Null(s.Evaluate(At(14.9)));
        var change = s.Evaluate(At(15));
        Assert.Equal((1, 0), (change?.From, change?.To));
        Assert.Contains("hold 10s", change!.Reason);
    }

    [Fact]
    public void A_failure_during_the_hold_restarts_it()
    {
        var s = new TierSelector(Names, Policy, T0);
        s.Observe(0, ProbeOutcome.Refused, At(0));
        s.Observe(0, ProbeOutcome.Healthy, At(1));
        s.Observe(0, ProbeOutcome.Failed, At(9));
        s.Observe(0, ProbeOutcome.Healthy, At(10));
        Assert.Null(s.Evaluate(At(19)));
        Assert.Equal(0, s.Evaluate(At(20))?.To);
    }

    [Fact]
    public void Leaves_the_buffer_on_the_first_healthy_probe_with_zero_exit_hold()
    {
        var s = new TierSelector(Names, Policy, T0);
        foreach (var tier in new[] { 0, 1, 2 })
        {
            s.Observe(tier, ProbeOutcome.Refused, At(0));
        }
        Assert.Equal(s.BufferIndex, s.Active);
        Assert.Equal(1, s.Observe(1, ProbeOutcome.Healthy, At(2))?.To);
    }

    [Fact]
    public void Backs_off_exponentially_for_a_down_tier_up_to_the_cap()
    {
        var s = new TierSelector(Names, Policy, T0);
        s.Observe(1, ProbeOutcome.Refused, At(0));
        Assert.Equal(At(2), s.Health(1).NextProbeAt);
        s.Observe(1, ProbeOutcome.Refused, At(2));
        Assert.Equal(At(6), s.Health(1).NextProbeAt);
        s.Observe(1, ProbeOutcome.Refused, At(6));
        Assert.Equal(At(14), s.Health(1).NextProbeAt);
        s.Observe(1, ProbeOutcome.Refused, At(14));
        Assert.Equal(At(22), s.Health(1).NextProbeAt); // capped at 8 s
        Assert.False(s.IsProbeDue(1, At(21)));
    }

    [Fact]
    public void Probes_down_tiers_at_the_base_interval_while_on_the_buffer()
    {
        var s = new TierSelector(Names, Policy, T0);
        for (var round = 0; round < 4; round++)
        {
            foreach (var tier in new[] { 0, 1, 2 })
            {
                s.Observe(tier, ProbeOutcome.Refused, At(round));
            }
        }
        Assert.Equal(s.BufferIndex, s.Active);
        Assert.True(s.IsProbeDue(0, At(4)));
    }

    [Fact]
    public void A_hub_flapping_every_second_causes_a_bounded_number_of_switches()
    {
        var s = new TierSelector(Names, Policy, T0);
        var switches = 0;
        for (var second = 0; second < 120; second++)
        {
            var outcome = second % 2 == 0 ? ProbeOutcome.Refused : ProbeOutcome.Healthy;
            if (s.Observe(0, outcome, At(second)) is not null)
            {
                switches++;
            }
            s.Observe(1, ProbeOutcome.Healthy, At(second));
        }
        Assert.Equal(1, switches);
        Assert.Equal(1, s.Active);
    }
}
