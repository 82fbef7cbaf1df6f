using System.Net;

namespace Resilience.Stack.Config;

/// <summary>Typed, validated reads of config values; every failure names the file and the key or line.</summary>
public sealed partial class TypedConfig(StackConfig config, Func<ConfigValue, string>? decrypt = null)
{
    public StackConfig Config { get; } = config;

    public string String(string key) => Text(Require(key));

    public int Int(string key, int min, int max)
    {
        var value = Require(key);
        var text = Text(value);
        if (!int.TryParse(text, out var n)) throw Error(value, $"expected an integer, got '{text}'");
        if (n < min || n > max) throw Error(value, $"{n} is out of range {min}-{max}");
        return n;
    }

    public int Port(string key) => Int(key, 1, 65535);

    public bool Bool(string key)
    {
        var value = Require(key);
        return Text(value) switch
        {
            "true" => true,
            "false" => false,
            var t => throw Error(value, $"expected true or false, got '{t}'"),
        };
    }

    public string OneOf(string key, params string[] allowed)
    {
        var value = Require(key);
        var text = Text(value);
        if (Array.IndexOf(allowed, text) >= 0) return text;
        var near = NearestName.Find(text, allowed);
        throw Error(value, $"'{text}' is not one of {string.Join(", ", allowed)}{(near is null ? "" : $"; did you mean '{near}'?")}");
    }

    /// <summary>
    /// A duration in the one grammar (<see cref="Platform.Duration"/>: 15s, 5m, 1h30m, 24h, 30d), returned as written so
    /// that a rendered Prometheus config keeps the operator's text.
    /// </summary>
    public string Duration(string key) => ParsedDuration(key).Text;

    /// <param name="goReadable">For a value a Go program (nats-server) reads: no days, weeks or years.</param>
    /// <param name="what">What the value must be, for the message ("a stream age").</param>
    public (string Text, Platform.Duration Value) ParsedDuration(string key, bool goReadable = false, string? what = null)
    {
        var value = Require(key);
        var text = Text(value);
        var ok = goReadable
            ? Platform.Duration.TryParseGo(text, out var duration, out var problem)
            : Platform.Duration.TryParse(text, out duration, out problem);
        if (!ok) throw Error(value, what is null ? problem : $"not {what}: {problem}");
        return (text, duration);
    }

    public string Address(string key)
    {
        var value = Require(key);
        var text = Text(value);
        if (!IPAddress.TryParse(text, out _) && Uri.CheckHostName(text) != UriHostNameType.Dns)
            throw Error(value, $"'{text}' is not an IP address or host name");
        return text;
    }

    /// <summary>An image reference pinned to a version: never untagged, never :latest.</summary>
    public string PinnedImage(string key)
    {
        var value = Require(key);
        var text = Text(value);
        var lastSlash = text.LastIndexOf('/');
        var colon = text.IndexOf(':', lastSlash + 1);
        if (text.Contains('@')) return text;
        if (colon < 0 || text[(colon + 1)..] == "latest")
            throw Error(value, $"'{text}' is not pinned: give an explicit version tag (never 'latest')");
        return text;
    }

    /// <summary>The plaintext of a secret key, or null when it is not set.</summary>
    public string? SecretOrNull(string key)
    {
        var value = Config.Find(key);
        if (value is null) return null;
        if (!value.IsSecure)
            throw Error(value, $"must be a secret: set it with `config set {key} VALUE --secret`");
        if (decrypt is null) throw Error(value, "is a secret but no secrets provider was given");
        return decrypt(value);
    }

    public ConfigValue Require(string key)
    {
        var value = Config.Find(key);
        if (value?.Value is null)
        {
            if (value is { IsSecure: true }) throw Error(value, "is a secret where a plain value is expected");
            throw new ConfigException(Config.StackFile, $"{Config.Project}:{key}", "missing: set it in the stack file or give it a default in Pulumi.yaml");
        }
        return value;
    }

    public static ConfigException Error(ConfigValue value, string problem) => new(value.File, value.Where, problem);

    private static string Text(ConfigValue value) => value.Value switch
    {
        System.Text.Json.Nodes.JsonValue v => v.ToString(),
        var other => throw Error(value, $"expected a single value, got {(other is System.Text.Json.Nodes.JsonArray ? "a list" : "a map")}"),
    };
}
