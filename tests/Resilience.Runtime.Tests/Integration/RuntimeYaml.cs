namespace Resilience.Runtime.Tests.Integration;

/// <summary>
/// Runtime configs for tests: fast probes so failover and failback fit in seconds; a generous probe timeout, since
/// every failure here is a kill (refused at once) and a loaded machine can be slow to answer a healthy probe. The hubs
/// here are independent (neither forwards to the other), so the resend window is off: re-sending would put a second
/// copy on the next hub.
/// </summary>
public static class RuntimeYaml
{
    public static string ThreeTiers(string address, string bufferDir, string? natsUrl = null, string failbackHold = "2s") => $$"""
        machine: pc2
        listen: http://{{address}}:19194
        tiers:
          - { name: local-hub, kind: hub, url: "http://{{address}}:19190" }
          - { name: remote-hub, kind: hub, url: "http://{{address}}:19191" }
          - { name: pushgateway, kind: pushgateway, url: "http://{{address}}:19192" }
        buffer: { path: "{{bufferDir}}/buffer.log", maxBytes: 16777216, fsync: always }
        probe: { interval: 200ms, timeout: 2s, failoverThreshold: 3, failbackHold: {{failbackHold}}, maxBackoff: 1s, resendWindow: 0s }
        {{(natsUrl is null ? "" : $"nats: {{ url: \"{natsUrl}\" }}")}}
        """;
}
