using Resilience.Runtime.Config;
using Resilience.Runtime.Contracts;

namespace Resilience.Runtime.Tests.Unit;

public class HealthSyncConfigTests
{
    private const string Valid = """
        machine: pc2
        peer:
          machine: mainpc
          hubUrl: http://127.0.0.2:9000
          jetStreamDomain: mainpc
        health:
          interval: 60s
          timeout: 2s
        tiers:
          - { name: local-hub, kind: hub, url: "http://127.0.0.1:9100" }
        buffer: { path: /data/buffer.log }
        nats:
          url: nats://resilience:s3cr%2Ft@127.0.0.3:4223
          kvBucket: resilience-failover
          failoverSubject: observability.alerts.failover
          healthSubjectPrefix: observability.health
          peerHealthStream: observability-health-central
          peerHealthConsumer: observability-health-peer
        agents:
          - { name: agent-a, healthUrl: "http://127.0.0.1:8001/health" }
        """;

    [Fact]
    public void Reads_the_contract_the_stack_renders()
    {
        var c = RuntimeConfigLoader.Parse(Valid, "rt.yaml");
        Assert.Equal(new PeerConfig { Machine = "mainpc", HubUrl = new Uri("http://127.0.0.2:9000/"), JetStreamDomain = "mainpc", ProbeInterval = TimeSpan.FromMilliseconds(500) }, c.Peer);
        Assert.Null(c.SourceAddress);
        Assert.Equal(TimeSpan.FromSeconds(60), c.Health!.Interval);
        Assert.Equal(TimeSpan.FromSeconds(2), c.Health.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(5), c.Health.ProbeInterval);
        Assert.Equal("observability-health-central", c.Nats!.PeerHealthStream);
        Assert.Equal("observability-health-peer", c.Nats.PeerHealthConsumer);
        Assert.Equal("observability.health.pc2", c.Nats.HealthSubject("pc2"));
    }

    [Fact]
    public void The_peer_is_probed_at_the_tier_interval_but_at_least_every_500_ms_unless_set()
    {
        var withProbe = Valid.Replace("tiers:", "probe: { interval: 200ms }\ntiers:");
        Assert.Equal(TimeSpan.FromMilliseconds(200), RuntimeConfigLoader.Parse(withProbe, "rt.yaml").Peer!.ProbeInterval);
        var explicitly = Valid.Replace("jetStreamDomain: mainpc", "jetStreamDomain: mainpc\n  probeInterval: 2s");
        Assert.Equal(TimeSpan.FromSeconds(2), RuntimeConfigLoader.Parse(explicitly, "rt.yaml").Peer!.ProbeInterval);
    }

    [Fact]
    public void Credentials_leave_the_url_and_are_masked_when_printed()
    {
        var c = RuntimeConfigLoader.Parse(Valid, "rt.yaml");
        Assert.Equal("nats://127.0.0.3:4223/", c.Nats!.Url.ToString());
        Assert.Equal(new NatsCredentials("resilience", "s3cr/t"), c.Nats.Credentials);
        Assert.DoesNotContain("s3cr", c.Nats.ToString());
        Assert.DoesNotContain("s3cr", c.ToString());
    }

    [Fact]
    public void A_bad_nats_url_is_reported_without_echoing_it()
    {
        var e = Assert.Throws<ConfigException>(() => RuntimeConfigLoader.Parse(
            Valid.Replace("nats://resilience:s3cr%2Ft@", "http://resilience:s3cr%2Ft@"), "rt.yaml"));
        Assert.Contains("nats.url", e.Message);
        Assert.DoesNotContain("s3cr", e.Message);
    }

    [Fact]
    public void Without_health_section_the_defaults_apply()
    {
        var c = RuntimeConfigLoader.Parse(Valid.Replace("health:\n  interval: 60s\n  timeout: 2s\n", ""), "rt.yaml");
        Assert.Equal(TimeSpan.FromSeconds(60), c.HealthOrDefault.Interval);
        Assert.Equal(TimeSpan.FromSeconds(2), c.HealthOrDefault.Timeout);
    }

    [Fact]
    public void A_CA_file_is_read_as_an_absolute_path_and_absent_means_no_TLS()
    {
        Assert.Null(RuntimeConfigLoader.Parse(Valid, "rt.yaml").Nats!.CaFile);
        var tls = Valid.Replace("kvBucket:", "caFile: /etc/resilience/nats-ca.pem\n  kvBucket:");
        Assert.Equal("/etc/resilience/nats-ca.pem", RuntimeConfigLoader.Parse(tls, "rt.yaml").Nats!.CaFile);
    }

    [Theory]
    [InlineData("machine: mainpc\n", "machine: pc2\n", "peer.machine")]
    [InlineData("jetStreamDomain: mainpc", "jetStreamDomain: main.pc", "peer.jetStreamDomain")]
    [InlineData("hubUrl: http://127.0.0.2:9000", "hubUrl: mainpc:9000", "peer.hubUrl")]
    [InlineData("interval: 60s", "interval: often", "health.interval")]
    [InlineData("timeout: 2s", "timeout: 0s", "health")]
    [InlineData("peerHealthStream: observability-health-central", "peerHealthStream: a.b", "nats.peerHealthStream")]
    [InlineData("peerHealthConsumer: observability-health-peer", "peerHealthConsumer: a b", "nats.peerHealthConsumer")]
    [InlineData("machine: pc2\npeer:", "machine: pc2\nsourceAddress: 127.0.0.x\npeer:", "sourceAddress")]
    [InlineData("jetStreamDomain: mainpc", "jetStreamDomian: mainpc", "rt.yaml:")]
    [InlineData("kvBucket: resilience-failover", "caFile: ca.pem\n  kvBucket: resilience-failover", "nats.caFile")]
    public void Names_the_file_and_key_of_a_mistake(string from, string to, string expected)
    {
        var yaml = Valid.Replace(from, to);
        Assert.NotEqual(Valid, yaml);
        var e = Assert.Throws<ConfigException>(() => RuntimeConfigLoader.Parse(yaml, "rt.yaml"));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("rt.yaml", e.Message);
    }
}
