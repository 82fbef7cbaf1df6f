namespace Resilience.Runtime.Config;

// The YAML shape, as written by the stack program. Validated into RuntimeConfig by RuntimeConfigLoader.
internal sealed class RuntimeConfigFile
{
    public string? Machine { get; set; }
    public string? Listen { get; set; }
    public List<TierFile>? Tiers { get; set; }
    public BufferFile? Buffer { get; set; }
    public ProbeFile? Probe { get; set; }
    public NatsFile? Nats { get; set; }
    public List<AgentFile>? Agents { get; set; }
    public PeerFile? Peer { get; set; }
    public HealthFile? Health { get; set; }
    public string? SourceAddress { get; set; }
    public string? RunAs { get; set; }
}

internal sealed class PeerFile
{
    public string? Machine { get; set; }
    public string? HubUrl { get; set; }
    public string? JetStreamDomain { get; set; }
    public string? ProbeInterval { get; set; }
}

internal sealed class HealthFile
{
    public string? Interval { get; set; }
    public string? Timeout { get; set; }
    public string? ProbeInterval { get; set; }
}

internal sealed class TierFile
{
    public string? Name { get; set; }
    public string? Kind { get; set; }
    public string? Url { get; set; }
}

internal sealed class BufferFile
{
    public string? Path { get; set; }
    public long? MaxBytes { get; set; }
    public string? Fsync { get; set; }
    public string? FsyncInterval { get; set; }
}

internal sealed class ProbeFile
{
    public string? Interval { get; set; }
    public string? Timeout { get; set; }
    public int? FailoverThreshold { get; set; }
    public string? FailbackHold { get; set; }
    public string? BufferExitHold { get; set; }
    public string? MaxBackoff { get; set; }
    public string? ForwardTimeout { get; set; }
    public string? ResendWindow { get; set; }
    public int? ResendMaxSamples { get; set; }
    public long? ResendMaxBytes { get; set; }
}

internal sealed class NatsFile
{
    public string? Url { get; set; }
    public string? KvBucket { get; set; }
    public string? FailoverSubject { get; set; }
    public string? HealthSubjectPrefix { get; set; }
    public string? PeerHealthStream { get; set; }
    public string? PeerHealthConsumer { get; set; }
}

internal sealed class AgentFile
{
    public string? Name { get; set; }
    public string? HealthUrl { get; set; }
}
