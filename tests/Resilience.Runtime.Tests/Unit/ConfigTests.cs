using Resilience.Runtime.Config;
using Resilience.Runtime.Contracts;

namespace Resilience.Runtime.Tests.Unit;

public class ConfigTests
{
    private const string Valid = """
        machine: pc2
        listen: http://0.0.0.0:9095
        tiers:
          - { name: local-hub, kind: hub, url: "http://127.0.0.1:9100" }
          - { name: remote-hub, kind: hub, url: "http://mainpc:9000" }
          - { name: pushgateway, kind: pushgateway, url: "http://127.0.0.1:9091" }
        buffer: { path: /data/buffer.log, maxBytes: 1048576, fsync: interval, fsyncInterval: 250ms }
        probe: { interval: 2s, timeout: 500ms, failoverThreshold: 3, failbackHold: 1m, maxBackoff: 30s }
        nats: { url: "nats://127.0.0.1:4223" }
        agents:
          - { name: agent-a, healthUrl: "http://127.0.0.1:8001/health" }
        """;

    [Fact]
    public void A_tier_url_with_a_path_keeps_it_for_every_request()
    {
        var c = RuntimeConfigLoader.Parse(Valid.Replace("\"http://mainpc:9000\"", "\"http://proxy:8080/prom\""), "rt.yaml");
        Assert.Equal(new Uri("http://proxy:8080/prom/"), c.Tiers[1].Url);
        Assert.Equal(new Uri("http://proxy:8080/prom/-/ready"), Resilience.Runtime.Health.HttpProber.ReadyUrl(c.Tiers[1].Url));
        Assert.Equal(new Uri("http://proxy:8080/prom/api/v1/write"), Resilience.Runtime.Ingest.RemoteWriteClient.WriteUrl(c.Tiers[1].Url));
    }

    [Fact]
    public void Reads_every_section()
    {
        var c = RuntimeConfigLoader.Parse(Valid, "rt.yaml");
        Assert.Equal("pc2", c.Machine);
        Assert.Equal(["local-hub", "remote-hub", "pushgateway"], c.Tiers.Select(t => t.Name));
        Assert.Equal(TierKind.Pushgateway, c.Tiers[2].Kind);
        Assert.Equal(FsyncPolicy.Interval, c.Buffer.Fsync);
        Assert.Equal(TimeSpan.FromMilliseconds(250), c.Buffer.FsyncInterval);
        Assert.Equal(TimeSpan.FromMinutes(1), c.Probe.FailbackHold);
        Assert.Equal(3, c.Probe.FailoverThreshold);
        Assert.Equal("observability.alerts.failover", c.Nats!.FailoverSubject);
        Assert.Equal("observability.health", c.Nats.HealthSubjectPrefix);
        Assert.Equal("agent-a", c.Agents.Single().Name);
    }

    [Theory]
    [InlineData("fsync: interval", "fsync: sometimes", "buffer.fsync")]
    [InlineData("fsyncInterval: 250ms", "fsyncInterval: 0s", "buffer.fsyncInterval")]
    [InlineData("interval: 2s", "interval: soon", "probe.interval")]
    [InlineData("kind: pushgateway", "kind: gateway", "tiers[2].kind")]
    [InlineData("machine: pc2", "machine: pc.2", "machine")]
    [InlineData("failoverThreshold: 3", "failoverThreshold: 0", "probe.failoverThreshold")]
    [InlineData("\"http://mainpc:9000\"", "\"mainpc:9000\"", "tiers[1].url")]
    [InlineData("maxBackoff: 30s", "maxBackof: 30s", "rt.yaml:8:")]
    public void Names_the_file_and_key_of_a_mistake(string from, string to, string expected)
    {
        var e = Assert.Throws<ConfigException>(() => RuntimeConfigLoader.Parse(Valid.Replace(from, to), "rt.yaml"));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("rt.yaml", e.Message);
    }

    [Theory]
    [InlineData("interval: 2s", "interval: 1.5s", "rt.yaml: probe.interval: '1.5s' is not a duration", "write 1s500ms")]
    [InlineData("interval: 2s", "interval: 30", "rt.yaml: probe.interval: '30' is not a duration", "write 30s")]
    [InlineData("fsync: interval", "fsync: sometimes", "rt.yaml: buffer.fsync: 'sometimes' is not one of: always, interval, never", "(line 7)")]
    [InlineData("kind: pushgateway", "kind: gateway", "rt.yaml: tiers[2].kind: 'gateway' is not one of: hub, pushgateway", "(line 6)")]
    [InlineData("maxBackoff: 30s", "maxBackof: 30s", "rt.yaml:8:", "probe.maxBackof: unknown key")]
    public void A_bad_value_names_the_file_the_key_and_the_line_and_says_what_to_write(string from, string to, string start, string detail)
    {
        var yaml = Valid.Replace(from, to);
        Assert.NotEqual(Valid, yaml);
        var e = Assert.Throws<ConfigException>(() => RuntimeConfigLoader.Parse(yaml, "rt.yaml"));
        Assert.StartsWith(start, e.Message);
        Assert.Contains(detail, e.Message);
    }

    [Fact]
    public void Reads_the_one_duration_grammar_days_included() =>
        Assert.Equal(TimeSpan.FromHours(36), RuntimeConfigLoader.Parse(Valid.Replace("failbackHold: 1m", "failbackHold: 1d12h"), "rt.yaml").Probe.FailbackHold);

    [Fact]
    public void The_resend_window_defaults_to_5s_and_reads_its_bounds()
    {
        var c = RuntimeConfigLoader.Parse(Valid, "rt.yaml");
        Assert.Equal(new ResendConfig(TimeSpan.FromSeconds(5), 100_000, 16L * 1024 * 1024), c.Probe.ResendOrDefault);
        var custom = RuntimeConfigLoader.Parse(Valid
            .Replace("maxBackoff: 30s", "maxBackoff: 30s, resendWindow: 0s, resendMaxSamples: 10, resendMaxBytes: 8192"), "rt.yaml");
        Assert.False(custom.Probe.ResendOrDefault.Enabled);
        Assert.Equal(10, custom.Probe.ResendOrDefault.MaxSamples);
        Assert.Equal(8192, custom.Probe.ResendOrDefault.MaxBytes);
    }

    [Theory]
    [InlineData("maxBackoff: 30s", "maxBackoff: 30s, resendWindow: soon", "probe.resendWindow")]
    [InlineData("maxBackoff: 30s", "maxBackoff: 30s, resendMaxSamples: 0", "probe.resendMaxSamples")]
    [InlineData("maxBackoff: 30s", "maxBackoff: 30s, resendMaxBytes: 100", "probe.resendMaxBytes")]
    public void Names_the_key_of_a_bad_resend_setting(string from, string to, string expected)
    {
        var e = Assert.Throws<ConfigException>(() => RuntimeConfigLoader.Parse(Valid.Replace(from, to), "rt.yaml"));
        Assert.StartsWith($"rt.yaml: {expected}:", e.Message);
    }

    [Fact]
    public void Finds_the_path_from_the_flag_before_the_environment()
    {
        string? Env(string name) => name == RuntimeConfigLoader.EnvironmentVariable ? "/env.yaml" : null;
        Assert.Equal("/flag.yaml", RuntimeConfigLoader.FindPath(["--config", "/flag.yaml"], Env));
        Assert.Equal("/eq.yaml", RuntimeConfigLoader.FindPath(["--config=/eq.yaml"], Env));
        Assert.Equal("/env.yaml", RuntimeConfigLoader.FindPath([], Env));
    }
}
