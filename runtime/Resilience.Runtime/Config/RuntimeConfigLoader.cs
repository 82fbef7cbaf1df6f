using System.Text.RegularExpressions;
using Resilience.Platform;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Resilience.Runtime.Config;

/// <summary>Reads and validates the runtime's YAML config; every problem names the file and the key.</summary>
public static partial class RuntimeConfigLoader
{
    public const string EnvironmentVariable = "RESILIENCE_RUNTIME_CONFIG";

    [GeneratedRegex("^[a-zA-Z0-9_-]+$")]
    private static partial Regex Token();

    [GeneratedRegex(@"^[a-zA-Z0-9_-]+(\.[a-zA-Z0-9_-]+)*$")]
    private static partial Regex Subject();

    /// <summary>The config path from <c>--config PATH</c> / <c>--config=PATH</c>, else the environment variable.</summary>
    public static string? FindPath(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--config" && i + 1 < args.Count)
            {
                return args[i + 1];
            }
            if (args[i].StartsWith("--config=", StringComparison.Ordinal))
            {
                return args[i]["--config=".Length..];
            }
        }
        return environment(EnvironmentVariable);
    }

    public static RuntimeConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ConfigException($"{path}: config file not found");
        }
        return Parse(File.ReadAllText(path), path);
    }

    public static RuntimeConfig Parse(string yaml, string source)
    {
        var deserializer = new DeserializerBuilder()
            .WithNamingConvention(CamelCaseNamingConvention.Instance)
            .Build();
        RuntimeConfigFile file;
        try
        {
            file = deserializer.Deserialize<RuntimeConfigFile?>(yaml) ?? new RuntimeConfigFile();
        }
        catch (YamlException e)
        {
            var reason = e.InnerException?.Message ?? e.Message;
            throw new ConfigException($"{source}:{e.Start.Line}:{e.Start.Column}: {reason}");
        }
        return new Validator(source).Validate(file);
    }

    private sealed class Validator(string source)
    {
        private ConfigException Error(string key, string problem) => new($"{source}: {key}: {problem}");

        public RuntimeConfig Validate(RuntimeConfigFile f)
        {
            var machine = Required(f.Machine, "machine");
            if (!Token().IsMatch(machine))
            {
                throw Error("machine", $"'{machine}' may contain only letters, digits, '-' and '_' (it is a NATS subject token)");
            }
            var tiers = Tiers(f.Tiers);
            return new RuntimeConfig(
                machine,
                HttpUrl(f.Listen ?? "http://0.0.0.0:9095", "listen"),
                tiers,
                Buffer(f.Buffer),
                Probe(f.Probe ?? new ProbeFile()),
                Nats(f.Nats),
                Agents(f.Agents ?? []),
                Peer(f.Peer, machine, f.Probe?.Interval),
                Health(f.Health ?? new HealthFile()),
                SourceAddress(f.SourceAddress),
                RunAs(f.RunAs));
        }

        private UnixUser? RunAs(string? text)
        {
            if (text is null)
            {
                return null;
            }
            var parts = text.Split(':');
            return parts.Length == 2 && uint.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var uid)
                && uint.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var gid) && uid != 0
                ? new UnixUser(uid, gid)
                : throw Error("runAs", $"'{text}' is not uid:gid (numbers, uid not 0)");
        }

        private System.Net.IPAddress? SourceAddress(string? text) =>
            text is null ? null
            : System.Net.IPAddress.TryParse(text, out var address) ? address
            : throw Error("sourceAddress", $"'{text}' is not an IP address");

        private PeerConfig? Peer(PeerFile? p, string machine, string? tierProbeInterval)
        {
            if (p is null)
            {
                return null;
            }
            var peer = Required(p.Machine, "peer.machine");
            if (!Token().IsMatch(peer) || peer == machine)
            {
                throw Error("peer.machine", $"'{peer}' must be letters, digits, '-' or '_' and differ from machine '{machine}'");
            }
            if (p.JetStreamDomain is { } domain && !Token().IsMatch(domain))
            {
                throw Error("peer.jetStreamDomain", $"'{domain}' may contain only letters, digits, '-' and '_'");
            }
            // Default: the tier probe interval, at most 500 ms, so failoverThreshold (3) probes fit in ~2 s.
            var tierInterval = Duration(tierProbeInterval, "probe.interval", "1s");
            var interval = p.ProbeInterval is null
                ? (tierInterval < TimeSpan.FromMilliseconds(500) ? tierInterval : TimeSpan.FromMilliseconds(500))
                : Duration(p.ProbeInterval, "peer.probeInterval", "500ms");
            if (interval <= TimeSpan.Zero)
            {
                throw Error("peer.probeInterval", "must be positive");
            }
            return new PeerConfig(peer, BaseUrl(p.HubUrl, "peer.hubUrl"), p.JetStreamDomain, interval);
        }

        private HealthConfig Health(HealthFile h)
        {
            var interval = Duration(h.Interval, "health.interval", "60s");
            var timeout = Duration(h.Timeout, "health.timeout", "2s");
            var probe = h.ProbeInterval is null
                ? (interval < TimeSpan.FromSeconds(5) ? interval : TimeSpan.FromSeconds(5))
                : Duration(h.ProbeInterval, "health.probeInterval", "5s");
            if (interval <= TimeSpan.Zero || timeout <= TimeSpan.Zero || probe <= TimeSpan.Zero)
            {
                throw Error("health", "interval, timeout and probeInterval must be positive");
            }
            if (probe > interval)
            {
                throw Error("health.probeInterval", $"{h.ProbeInterval} is longer than health.interval ({h.Interval})");
            }
            return new HealthConfig(interval, timeout, probe);
        }

        private IReadOnlyList<TierConfig> Tiers(List<TierFile>? tiers)
        {
            if (tiers is null || tiers.Count == 0)
            {
                throw Error("tiers", "at least one tier (hub or pushgateway) is required");
            }
            var result = new List<TierConfig>();
            for (var i = 0; i < tiers.Count; i++)
            {
                var key = $"tiers[{i}]";
                var name = Required(tiers[i].Name, $"{key}.name");
                if (!Token().IsMatch(name) || name == "buffer")
                {
                    throw Error($"{key}.name", $"'{name}' must be letters, digits, '-' or '_' and not 'buffer'");
                }
                if (result.Any(t => t.Name == name))
                {
                    throw Error($"{key}.name", $"'{name}' is used by another tier");
                }
                var kind = Required(tiers[i].Kind, $"{key}.kind") switch
                {
                    "hub" => TierKind.Hub,
                    "pushgateway" => TierKind.Pushgateway,
                    var other => throw Error($"{key}.kind", $"'{other}' is not one of: hub, pushgateway"),
                };
                result.Add(new TierConfig(name, kind, BaseUrl(tiers[i].Url, $"{key}.url")));
            }
            return result;
        }

        private ResendConfig Resend(ProbeFile p)
        {
            var window = Duration(p.ResendWindow, "probe.resendWindow", "5s");
            if (window < TimeSpan.Zero)
            {
                throw Error("probe.resendWindow", "must not be negative (0 turns the resend off)");
            }
            var samples = p.ResendMaxSamples ?? ResendConfig.Default.MaxSamples;
            if (samples < 1)
            {
                throw Error("probe.resendMaxSamples", $"{samples} is below the minimum of 1");
            }
            var bytes = p.ResendMaxBytes ?? ResendConfig.Default.MaxBytes;
            if (bytes < 4096)
            {
                throw Error("probe.resendMaxBytes", $"{bytes} is below the minimum of 4096");
            }
            return new ResendConfig(window, samples, bytes);
        }

        private BufferConfig Buffer(BufferFile? b)
        {
            if (b is null)
            {
                throw Error("buffer", "the buffer section (path, maxBytes, fsync) is required");
            }
            var path = Required(b.Path, "buffer.path");
            var maxBytes = b.MaxBytes ?? 64L * 1024 * 1024;
            if (maxBytes < 4096)
            {
                throw Error("buffer.maxBytes", $"{maxBytes} is below the minimum of 4096");
            }
            var fsync = (b.Fsync ?? "always") switch
            {
                "always" => FsyncPolicy.Always,
                "interval" => FsyncPolicy.Interval,
                "never" => FsyncPolicy.Never,
                var other => throw Error("buffer.fsync", $"'{other}' is not one of: always, interval, never"),
            };
            var interval = Duration(b.FsyncInterval, "buffer.fsyncInterval", "1s");
            if (interval <= TimeSpan.Zero)
            {
                throw Error("buffer.fsyncInterval", "must be positive (a zero timer fires once, and the buffer would never be synced again)");
            }
            return new BufferConfig(path, maxBytes, fsync, interval);
        }

        private ProbeConfig Probe(ProbeFile p)
        {
            var threshold = p.FailoverThreshold ?? 3;
            if (threshold is < 1 or > 100)
            {
                throw Error("probe.failoverThreshold", $"{threshold} is outside 1..100");
            }
            var interval = Duration(p.Interval, "probe.interval", "1s");
            var timeout = Duration(p.Timeout, "probe.timeout", "500ms");
            if (interval <= TimeSpan.Zero || timeout <= TimeSpan.Zero)
            {
                throw Error("probe", "interval and timeout must be positive");
            }
            return new ProbeConfig(
                interval,
                timeout,
                threshold,
                Duration(p.FailbackHold, "probe.failbackHold", "30s"),
                Duration(p.BufferExitHold, "probe.bufferExitHold", "0s"),
                Duration(p.MaxBackoff, "probe.maxBackoff", "30s"),
                Duration(p.ForwardTimeout, "probe.forwardTimeout", "2s"),
                Resend(p));
        }

        private NatsConfig? Nats(NatsFile? n)
        {
            if (n?.Url is null)
            {
                return null;
            }
            if (!Uri.TryCreate(n.Url, UriKind.Absolute, out var url) || url.Scheme is not ("nats" or "tls"))
            {
                // The URL may carry a password: name the problem, not the value.
                throw Error("nats.url", "is not a nats:// URL (nats://[user:password@]host:port)");
            }
            var bucket = n.KvBucket ?? "resilience-failover";
            if (!Token().IsMatch(bucket))
            {
                throw Error("nats.kvBucket", $"'{bucket}' may contain only letters, digits, '-' and '_'");
            }
            NatsCredentials? credentials = null;
            if (url.UserInfo.Length > 0)
            {
                var parts = url.UserInfo.Split(':', 2);
                if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                {
                    // Never echo the user info back: it may be a password.
                    throw Error("nats.url", "credentials in the URL must be user:password@ (both non-empty)");
                }
                credentials = new NatsCredentials(Uri.UnescapeDataString(parts[0]), Uri.UnescapeDataString(parts[1]));
                url = new UriBuilder(url) { UserName = "", Password = "" }.Uri;
            }
            var stream = n.PeerHealthStream ?? "observability-health";
            if (!Token().IsMatch(stream))
            {
                throw Error("nats.peerHealthStream", $"'{stream}' may contain only letters, digits, '-' and '_'");
            }
            var consumer = n.PeerHealthConsumer ?? "observability-health-peer";
            if (!Token().IsMatch(consumer))
            {
                throw Error("nats.peerHealthConsumer", $"'{consumer}' may contain only letters, digits, '-' and '_'");
            }
            return new NatsConfig(url, bucket,
                SubjectOf(n.FailoverSubject ?? "observability.alerts.failover", "nats.failoverSubject"),
                SubjectOf(n.HealthSubjectPrefix ?? "observability.health", "nats.healthSubjectPrefix"),
                stream, consumer, credentials);
        }

        private IReadOnlyList<AgentConfig> Agents(List<AgentFile> agents) =>
            agents.Select((a, i) => new AgentConfig(
                Required(a.Name, $"agents[{i}].name"),
                HttpUrl(a.HealthUrl, $"agents[{i}].healthUrl"))).ToList();

        private string SubjectOf(string value, string key) =>
            Subject().IsMatch(value) ? value : throw Error(key, $"'{value}' is not a literal NATS subject");

        private string Required(string? value, string key) =>
            string.IsNullOrWhiteSpace(value) ? throw Error(key, "is required") : value;

        private Uri HttpUrl(string? value, string key)
        {
            var text = Required(value, key);
            return Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
                ? url
                : throw Error(key, $"'{text}' is not an absolute http(s) URL");
        }

        /// <summary>A server's base URL, ending in '/' so that a path (a hub behind a proxy at /prom) keeps its place.</summary>
        private Uri BaseUrl(string? value, string key)
        {
            var url = HttpUrl(value, key);
            return url.AbsolutePath.EndsWith('/') ? url : new UriBuilder(url) { Path = url.AbsolutePath + "/" }.Uri;
        }

        private TimeSpan Duration(string? value, string key, string fallback) =>
            DurationParser.TryParse(value ?? fallback, out var d)
                ? d
                : throw Error(key, $"'{value}' is not a duration (examples: 500ms, 5s, 2m, 1h)");
    }
}
