using Resilience.Platform;

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
    TimeSpan ForwardTimeout,
    ResendConfig? Resend = null)
{
    public ResendConfig ResendOrDefault => Resend ?? ResendConfig.Default;
}

/// <summary>
/// What is re-sent to the next tier when a hub fails: the samples forwarded to it during the last
/// <see cref="Window"/> (zero turns it off), at most <see cref="MaxSamples"/> samples and <see cref="MaxBytes"/> bytes.
/// </summary>
public sealed record ResendConfig(TimeSpan Window, int MaxSamples, long MaxBytes)
{
    public static readonly ResendConfig Default = new(TimeSpan.FromSeconds(5), 100_000, 16L * 1024 * 1024);

    public bool Enabled => Window > TimeSpan.Zero;
}

/// <summary>
/// NATS settings. <see cref="Url"/> never carries credentials: a <c>user:password@</c> in the configured URL is
/// moved to <see cref="Credentials"/>, whose ToString masks the password.
/// </summary>
public sealed record NatsConfig(
    Uri Url,
    string KvBucket,
    string FailoverSubject,
    string HealthSubjectPrefix,
    string PeerHealthStream,
    string PeerHealthConsumer,
    NatsCredentials? Credentials = null)
{
    public string HealthSubject(string machine) => $"{HealthSubjectPrefix}.{machine}";
}

public sealed record NatsCredentials(string User, string Password)
{
    public override string ToString() => $"NatsCredentials {{ User = {User}, Password = *** }}";
}

public sealed record AgentConfig(string Name, Uri HealthUrl);

/// <summary>The other machine: its hub (and JetStream domain) are probed every <see cref="ProbeInterval"/> for partition detection.</summary>
public sealed record PeerConfig(string Machine, Uri HubUrl, string? JetStreamDomain, TimeSpan ProbeInterval);

/// <summary>Agent health sync: probe every <see cref="ProbeInterval"/>, publish at least every <see cref="Interval"/>.</summary>
public sealed record HealthConfig(TimeSpan Interval, TimeSpan Timeout, TimeSpan ProbeInterval);

public sealed record RuntimeConfig(
    string Machine,
    Uri Listen,
    IReadOnlyList<TierConfig> Tiers,
    BufferConfig Buffer,
    ProbeConfig Probe,
    NatsConfig? Nats,
    IReadOnlyList<AgentConfig> Agents,
    PeerConfig? Peer = null,
    HealthConfig? Health = null,
    System.Net.IPAddress? SourceAddress = null,
    UnixUser? RunAs = null)
{
    public HealthConfig HealthOrDefault => Health ?? new HealthConfig(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5));
}
