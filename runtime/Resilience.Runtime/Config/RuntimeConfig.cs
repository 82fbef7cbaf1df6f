namespace Resilience.Runtime.Config;

public enum TierKind { Hub, Pushgateway }

public enum FsyncPolicy { Always, Interval, Never }

/// <summary>One forwarding target, in preference order; the file buffer is the implicit last tier.</summary>
public sealed record TierConfig(string Name, TierKind Kind, Uri Url);

public sealed record BufferConfig(string Path, long MaxBytes, FsyncPolicy Fsync, TimeSpan FsyncInterval);

public sealed record ProbeConfig(
    TimeSpan Interval,
    TimeSpan Timeout,
    int FailoverThreshold,
    TimeSpan FailbackHold,
    TimeSpan BufferExitHold,
    TimeSpan MaxBackoff,
    TimeSpan ForwardTimeout);

public sealed record NatsConfig(Uri Url, string KvBucket, string FailoverSubject, string HealthSubjectPrefix);

public sealed record AgentConfig(string Name, Uri HealthUrl);

public sealed record RuntimeConfig(
    string Machine,
    Uri Listen,
    IReadOnlyList<TierConfig> Tiers,
    BufferConfig Buffer,
    ProbeConfig Probe,
    NatsConfig? Nats,
    IReadOnlyList<AgentConfig> Agents);
