using System.Net;
using System.Text;
using Resilience.Platform;
using YamlDotNet.Serialization;

namespace Resilience.Runtime.Contracts;

// The runtime's config file, key for key (runtime/README.md): the stacks write this type and the runtime reads it
// (RuntimeConfigYaml). Each default is the member's initializer; RuntimeConfigYaml.Read validates and fills in the
// defaults that depend on other keys, so what the runtime sees is complete.

public enum TierKind { Hub = 1, Pushgateway }

public enum FsyncPolicy { Always, Interval, Never }

public sealed record RuntimeConfig
{
    public string Machine { get; init; } = "";
    public Uri Listen { get; init; } = new("http://0.0.0.0:9095");
    /// <summary>The address outgoing connections leave from (host network: the machine's), so a cut by source holds.</summary>
    public IPAddress? SourceAddress { get; init; }
    /// <summary>The user the runtime gives root up for once it has read its config.</summary>
    public UnixUser? RunAs { get; init; }
    /// <summary>Forwarding targets in preference order; the file buffer is the implicit last tier.</summary>
    public ValueList<TierConfig> Tiers { get; init; } = [];
    public BufferConfig Buffer { get; init; } = null!;
    public ProbeConfig Probe { get; init; } = new();
    public NatsConfig? Nats { get; init; }
    public PeerConfig? Peer { get; init; }
    public HealthConfig? Health { get; init; }
    public ValueList<AgentConfig> Agents { get; init; } = [];
    /// <summary>Set: the listener serves HTTPS only and every call needs basic auth; outgoing HTTPS trusts only the CA.</summary>
    public HttpsConfig? Https { get; init; }

    [YamlIgnore]
    public HealthConfig HealthOrDefault => Health ?? new HealthConfig();
}

public sealed record TierConfig
{
    public string Name { get; init; } = "";
    public TierKind Kind { get; init; }
    /// <summary>The server's base URL, ending in '/' once read, so that a path (a hub behind a proxy at /prom) keeps its place.</summary>
    public Uri Url { get; init; } = null!;
}

public sealed record BufferConfig
{
    public string Path { get; init; } = "";
    public long MaxBytes { get; init; } = 64L * 1024 * 1024;
    public FsyncPolicy Fsync { get; init; } = FsyncPolicy.Always;
    public TimeSpan FsyncInterval { get; init; } = TimeSpan.FromSeconds(1);
}

public sealed record ProbeConfig
{
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMilliseconds(500);
    public int FailoverThreshold { get; init; } = 3;
    public TimeSpan FailbackHold { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan BufferExitHold { get; init; } = TimeSpan.Zero;
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan ForwardTimeout { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>
    /// PC2: 5 s — what EdgeHub accepted but had not yet forwarded when it died (batch_send_deadline 1 s, plus up to
    /// ~3.5 s to notice a hung hub) is re-sent to CentralHub. MainPC: 0 — CentralHub forwards nothing.
    /// </summary>
    public TimeSpan ResendWindow { get; init; } = ResendConfig.Default.Window;
    public int ResendMaxSamples { get; init; } = ResendConfig.Default.MaxSamples;
    public long ResendMaxBytes { get; init; } = ResendConfig.Default.MaxBytes;

    [YamlIgnore]
    public ResendConfig ResendOrDefault => new(ResendWindow, ResendMaxSamples, ResendMaxBytes);
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
/// NATS settings. In the file <c>url</c> may carry <c>user:password@</c>; once read, <see cref="Url"/> never does: the
/// user and password are in <see cref="Credentials"/>, whose ToString masks the password.
/// </summary>
public sealed record NatsConfig
{
    public const string DefaultKvBucket = "resilience-failover";
    public const string DefaultFailoverSubject = "observability.alerts.failover";
    public const string DefaultHealthSubjectPrefix = "observability.health";

    [YamlIgnore]
    public Uri Url { get; init; } = null!;
    [YamlIgnore]
    public NatsCredentials? Credentials { get; init; }

    /// <summary>The file's <c>url</c> key: <see cref="Url"/> with the credentials, escaped.</summary>
    [YamlMember(Alias = "url")]
    public string? UrlInFile
    {
        get => Url is null ? null : NatsUrl.Compose(Url, Credentials);
        init => (Url, Credentials) = value is null ? (null!, null) : NatsUrl.Split(value);
    }

    /// <summary>The CA certificates (PEM file) the server's certificate must chain to: set, the connection is TLS and verified.</summary>
    public string? CaFile { get; init; }

    public string KvBucket { get; init; } = DefaultKvBucket;
    public string FailoverSubject { get; init; } = DefaultFailoverSubject;
    public string HealthSubjectPrefix { get; init; } = DefaultHealthSubjectPrefix;
    public string PeerHealthStream { get; init; } = "observability-health";
    public string PeerHealthConsumer { get; init; } = "observability-health-peer";

    public string HealthSubject(string machine) => $"{HealthSubjectPrefix}.{machine}";

    // The file form of the URL may carry the password: never printed.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Url = {Url}, Credentials = {Credentials}, CaFile = {CaFile}, KvBucket = {KvBucket}, FailoverSubject = {FailoverSubject}, ")
            .Append($"HealthSubjectPrefix = {HealthSubjectPrefix}, PeerHealthStream = {PeerHealthStream}, PeerHealthConsumer = {PeerHealthConsumer}");
        return true;
    }
}

public sealed record NatsCredentials(string User, string Password)
{
    public override string ToString() => $"NatsCredentials {{ User = {User}, Password = *** }}";
}

public sealed record AgentConfig
{
    public string Name { get; init; } = "";
    public Uri HealthUrl { get; init; } = null!;
}

/// <summary>The other machine: its hub (and JetStream domain) are probed every <see cref="ProbeInterval"/> for partition detection.</summary>
public sealed record PeerConfig
{
    public string Machine { get; init; } = "";
    public Uri HubUrl { get; init; } = null!;
    /// <summary>The peer's JetStream domain (leafnode topology); clusters have none.</summary>
    public string? JetStreamDomain { get; init; }
    /// <summary>Unset: the tier probe interval, at most 500 ms, so failoverThreshold (3) probes fit in ~2 s.</summary>
    public TimeSpan? ProbeInterval { get; init; }

    [YamlIgnore]
    public TimeSpan ProbeEvery => ProbeInterval ?? TimeSpan.FromMilliseconds(500);
}

/// <summary>Agent health sync: probe every <see cref="ProbeInterval"/>, publish at least every <see cref="Interval"/>.</summary>
public sealed record HealthConfig
{
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>Unset: the interval, at most 5 s (a change is published at the next probe).</summary>
    public TimeSpan? ProbeInterval { get; init; }

    [YamlIgnore]
    public TimeSpan ProbeEvery => ProbeInterval ?? (Interval < TimeSpan.FromSeconds(5) ? Interval : TimeSpan.FromSeconds(5));
}

/// <summary>The roles a caller of the runtime holds (the stacks' SecurityRoles): which endpoints it may call.</summary>
public enum HttpRole { Operator = 1, Hub, Pusher }

/// <summary>
/// HTTPS with basic auth (issue 16). <see cref="CertFile"/>/<see cref="KeyFile"/>: the machine's certificate, served on
/// the listener (PEM, the key 0600). <see cref="CaFile"/>: the pair's CA(s), the only roots outgoing HTTPS trusts.
/// <see cref="Users"/>: who may call, by bcrypt hash. <see cref="Client"/>: what the runtime presents to the hubs,
/// the Pushgateway, the peer's hub and the agents (only over HTTPS: never sent in clear).
/// </summary>
public sealed record HttpsConfig
{
    public string CertFile { get; init; } = "";
    public string KeyFile { get; init; } = "";
    public string CaFile { get; init; } = "";
    public ValueList<HttpUser> Users { get; init; } = [];
    public HttpCredentials? Client { get; init; }
}

public sealed record HttpUser
{
    public string User { get; init; } = "";
    public HttpRole Role { get; init; }
    /// <summary>bcrypt (<c>$2a$</c>...): the file names users but holds no password.</summary>
    public string PasswordHash { get; init; } = "";
}

public sealed record HttpCredentials
{
    public string User { get; init; } = "";
    public string Password { get; init; } = "";

    public override string ToString() => $"HttpCredentials {{ User = {User}, Password = *** }}";
}

/// <summary>A list that compares by its items, so records holding one compare by value.</summary>
public sealed class ValueList<T> : List<T>, IEquatable<ValueList<T>>
{
    public ValueList()
    {
    }

    public ValueList(IEnumerable<T> items) : base(items)
    {
    }

    public bool Equals(ValueList<T>? other) => other is not null && this.SequenceEqual(other);

    public override bool Equals(object? obj) => Equals(obj as ValueList<T>);

    public override int GetHashCode() => Count;

    public override string ToString() => $"[{string.Join(", ", this)}]";
}

internal static class NatsUrl
{
    public static string Compose(Uri url, NatsCredentials? credentials) =>
        credentials is null
            ? url.ToString().TrimEnd('/')
            : $"{url.Scheme}://{Uri.EscapeDataString(credentials.User)}:{Uri.EscapeDataString(credentials.Password)}@{url.Host}:{url.Port}";

    /// <exception cref="InvalidValueException">Without echoing the value: it may carry a password.</exception>
    public static (Uri Url, NatsCredentials? Credentials) Split(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("nats" or "tls"))
            throw new InvalidValueException("is not a nats:// URL (nats://[user:password@]host:port)");
        if (url.UserInfo.Length == 0) return (url, null);
        var parts = url.UserInfo.Split(':', 2);
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            throw new InvalidValueException("credentials in the URL must be user:password@ (both non-empty)");
        var credentials = new NatsCredentials(Uri.UnescapeDataString(parts[0]), Uri.UnescapeDataString(parts[1]));
        return (new UriBuilder(url) { UserName = "", Password = "" }.Uri, credentials);
    }
}

/// <summary>A value the file cannot hold; the reader adds the file, key and line.</summary>
public sealed class InvalidValueException(string problem) : Exception(problem);
