using Resilience.DemoFleet.Agents;

namespace Resilience.DemoFleet.Tests.Unit;

public sealed class LatencyWindowTests
{
    [Fact]
    public void Quantiles_come_from_the_last_observations_and_sum_and_count_from_all()
    {
        var window = new LatencyWindow(capacity: 100);
        for (var ms = 1; ms <= 200; ms++)
        {
            window.Observe(TimeSpan.FromMilliseconds(ms));
        }

        var (quantiles, sum, count) = window.Read(0.5, 0.99);

        Assert.Equal(0.150, quantiles[0].Seconds, 6); // the window holds 101..200 ms
        Assert.Equal(0.199, quantiles[1].Seconds, 6);
        Assert.Equal(200, count);
        Assert.Equal(20.1, sum, 6);
    }

    [Fact]
    public void Before_any_push_the_quantiles_are_NaN()
    {
        var (quantiles, _, count) = new LatencyWindow().Read(0.5);

        Assert.True(double.IsNaN(quantiles[0].Seconds));
        Assert.Equal(0, count);
    }
}
