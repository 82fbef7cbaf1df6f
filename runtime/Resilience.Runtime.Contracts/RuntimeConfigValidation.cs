using System.Text.RegularExpressions;

namespace Resilience.Runtime.Contracts;

/// <summary>
/// The rules of <see cref="RuntimeConfig"/> beyond its types, and the defaults that depend on other keys. Every
/// problem names the file and the key.
/// </summary>
internal sealed partial class RuntimeConfigValidation(string source)
{
    [GeneratedRegex("^[a-zA-Z0-9_-]+$")]
    private static partial Regex Token();

    [GeneratedRegex(@"^[a-zA-Z0-9_-]+(\.[a-zA-Z0-9_-]+)*$")]
    private static partial Regex Subject();

    private ConfigException Error(string key, string problem) => new($"{source}: {key}: {problem}");

    /// <summary>The config as the runtime uses it: checked, base URLs ending in '/', dependent defaults filled in.</summary>
    public RuntimeConfig Resolve(RuntimeConfig c)
    {
        TokenOf(Required(c.Machine, "machine"), "machine", "(it is a NATS subject token)");
        HttpUrl(c.Listen, "listen");
        if (c.RunAs is { Uid: 0 }) throw Error("runAs", $"'{c.RunAs}' is not uid:gid (numbers, uid not 0)");
        return c with
        {
            Tiers = Tiers(c.Tiers),
            Buffer = Buffer(c.Buffer),
            Probe = Probe(c.Probe),
            Nats = Nats(c.Nats),
            Agents = new ValueList<AgentConfig>(c.Agents.Select((a, i) => a with
            {
                Name = Required(a.Name, $"agents[{i}].name"),
                HealthUrl = HttpUrl(a.HealthUrl, $"agents[{i}].healthUrl"),
            })),
            Peer = Peer(c.Peer, c.Machine, c.Probe.Interval),
            Health = Health(c.Health ?? new HealthConfig()),
            Https = Https(c.Https, c.Listen),
        };
    }

    private HttpsConfig? Https(HttpsConfig? h, Uri listen)
    {
        if (h is null)
        {
            if (listen.Scheme == "https") throw Error("listen", $"'{listen}' is https: the https section (certFile, keyFile, caFile, users) is required");
            return null;
        }
        if (listen.Scheme != "https") throw Error("listen", $"'{listen}' must be https:// when the https section is set (it serves HTTPS only)");
        Required(h.CertFile, "https.certFile");
        Required(h.KeyFile, "https.keyFile");
        Required(h.CaFile, "https.caFile");
        if (h.Users.Count == 0) throw Error("https.users", "at least one user is required (user, role, passwordHash)");
        for (var i = 0; i < h.Users.Count; i++)
        {
            var user = h.Users[i];
            TokenOf(Required(user.User, $"https.users[{i}].user"), $"https.users[{i}].user");
            if (h.Users.Take(i).Any(u => u.User == user.User)) throw Error($"https.users[{i}].user", $"'{user.User}' is listed twice");
            if (!Enum.IsDefined(user.Role)) throw Error($"https.users[{i}].role", "is required (one of: operator, hub, pusher)");
            if (!Required(user.PasswordHash, $"https.users[{i}].passwordHash").StartsWith("$2", StringComparison.Ordinal))
                throw Error($"https.users[{i}].passwordHash", "is not a bcrypt hash ($2a$...); the file never holds a caller's password");
        }
        if (h.Client is { } client)
        {
            Required(client.User, "https.client.user");
            Required(client.Password, "https.client.password");
        }
        return h;
    }

    private ValueList<TierConfig> Tiers(ValueList<TierConfig> tiers)
    {
        if (tiers.Count == 0) throw Error("tiers", "at least one tier (hub or pushgateway) is required");
        var result = new ValueList<TierConfig>();
        for (var i = 0; i < tiers.Count; i++)
        {
            var key = $"tiers[{i}]";
            var name = Required(tiers[i].Name, $"{key}.name");
            if (!Token().IsMatch(name) || name == "buffer")
                throw Error($"{key}.name", $"'{name}' must be letters, digits, '-' or '_' and not 'buffer'");
            if (result.Any(t => t.Name == name)) throw Error($"{key}.name", $"'{name}' is used by another tier");
            if (!Enum.IsDefined(tiers[i].Kind)) throw Error($"{key}.kind", "is required (one of: hub, pushgateway)");
            result.Add(tiers[i] with { Url = BaseUrl(tiers[i].Url, $"{key}.url") });
        }
        return result;
    }

    private BufferConfig Buffer(BufferConfig? b)
    {
        if (b is null) throw Error("buffer", "the buffer section (path, maxBytes, fsync) is required");
        Required(b.Path, "buffer.path");
        if (b.MaxBytes < 4096) throw Error("buffer.maxBytes", $"{b.MaxBytes} is below the minimum of 4096");
        if (b.FsyncInterval <= TimeSpan.Zero)
            throw Error("buffer.fsyncInterval", "must be positive (a zero timer fires once, and the buffer would never be synced again)");
        return b;
    }

    private ProbeConfig Probe(ProbeConfig p)
    {
        if (p.FailoverThreshold is < 1 or > 100) throw Error("probe.failoverThreshold", $"{p.FailoverThreshold} is outside 1..100");
        if (p.Interval <= TimeSpan.Zero || p.Timeout <= TimeSpan.Zero) throw Error("probe", "interval and timeout must be positive");
        if (p.ResendWindow < TimeSpan.Zero) throw Error("probe.resendWindow", "must not be negative (0 turns the resend off)");
        if (p.ResendMaxSamples < 1) throw Error("probe.resendMaxSamples", $"{p.ResendMaxSamples} is below the minimum of 1");
        if (p.ResendMaxBytes < 4096) throw Error("probe.resendMaxBytes", $"{p.ResendMaxBytes} is below the minimum of 4096");
        return p;
    }

    private NatsConfig? Nats(NatsConfig? n)
    {
        if (n?.Url is null) return null;
        TokenOf(n.KvBucket, "nats.kvBucket");
        TokenOf(n.PeerHealthStream, "nats.peerHealthStream");
        TokenOf(n.PeerHealthConsumer, "nats.peerHealthConsumer");
        SubjectOf(n.FailoverSubject, "nats.failoverSubject");
        SubjectOf(n.HealthSubjectPrefix, "nats.healthSubjectPrefix");
        if (n.CaFile is { } ca && !Path.IsPathFullyQualified(ca)) throw Error("nats.caFile", $"'{ca}' is not an absolute path");
        return n;
    }

    private PeerConfig? Peer(PeerConfig? p, string machine, TimeSpan tierInterval)
    {
        if (p is null) return null;
        var peer = Required(p.Machine, "peer.machine");
        if (!Token().IsMatch(peer) || peer == machine)
            throw Error("peer.machine", $"'{peer}' must be letters, digits, '-' or '_' and differ from machine '{machine}'");
        if (p.JetStreamDomain is { } domain) TokenOf(domain, "peer.jetStreamDomain");
        var half = TimeSpan.FromMilliseconds(500);
        var interval = p.ProbeInterval ?? (tierInterval < half ? tierInterval : half);
        if (interval <= TimeSpan.Zero) throw Error("peer.probeInterval", "must be positive");
        return p with { HubUrl = BaseUrl(p.HubUrl, "peer.hubUrl"), ProbeInterval = interval };
    }

    private HealthConfig Health(HealthConfig h)
    {
        var probe = h.ProbeEvery;
        if (h.Interval <= TimeSpan.Zero || h.Timeout <= TimeSpan.Zero || probe <= TimeSpan.Zero)
            throw Error("health", "interval, timeout and probeInterval must be positive");
        if (probe > h.Interval)
            throw Error("health.probeInterval", $"{new Platform.Duration(probe)} is longer than health.interval ({new Platform.Duration(h.Interval)})");
        return h with { ProbeInterval = probe };
    }

    private void TokenOf(string value, string key, string why = "")
    {
        if (!Token().IsMatch(value))
            throw Error(key, $"'{value}' may contain only letters, digits, '-' and '_'{(why.Length > 0 ? " " + why : "")}");
    }

    private void SubjectOf(string value, string key)
    {
        if (!Subject().IsMatch(value)) throw Error(key, $"'{value}' is not a literal NATS subject");
    }

    private string Required(string? value, string key) =>
        string.IsNullOrWhiteSpace(value) ? throw Error(key, "is required") : value;

    private Uri HttpUrl(Uri? url, string key) =>
        url is null ? throw Error(key, "is required")
        : url.Scheme is "http" or "https" ? url
        : throw Error(key, $"'{url}' is not an absolute http(s) URL");

    private Uri BaseUrl(Uri? value, string key)
    {
        var url = HttpUrl(value, key);
        return url.AbsolutePath.EndsWith('/') ? url : new UriBuilder(url) { Path = url.AbsolutePath + "/" }.Uri;
    }
}
