using Microsoft.Extensions.Logging.Abstractions;
using Resilience.Runtime.Config;
using Resilience.Runtime.Health;

namespace Resilience.Runtime.Tests.Unit;

public class HealthMonitorTests
{
    private sealed class StoppedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private const string Yaml = """
        machine: pc2
        listen: http://127.0.0.1:9095
        tiers:
          - { name: local-hub, kind: hub, url: "http://127.0.0.1:9100" }
          - { name: remote-hub, kind: hub, url: "http://127.0.0.1:9000" }
        buffer: { path: /tmp/unused.log }
        """;

    /// <summary>
    /// A forward that fails after 2 s switches now, not 2 s from now: the switch time starts the failed hub's resend
    /// window, so a later one would leave the window's first seconds out.
    /// </summary>
    [Fact]
    public void A_failed_forward_switches_at_the_time_it_failed()
    {
        var now = new DateTimeOffset(2026, 11, 29, 12, 0, 10, TimeSpan.Zero);
        var clock = new StoppedClock(now);
        var monitor = new HealthMonitor(RuntimeConfigLoader.Parse(Yaml, "rt.yaml"), new HttpProber(new HttpClient(), clock), clock, NullLogger<HealthMonitor>.Instance);
        FailoverEvent? seen = null;
        monitor.Switched += e => seen = e;

        monitor.ReportForwardFailure(0, ProbeOutcome.Refused, "connection refused", TimeSpan.FromSeconds(2));

        Assert.NotNull(seen);
        Assert.Equal(("local-hub", "remote-hub"), (seen.From, seen.To));
        Assert.Equal(now, seen.At);
    }
}
