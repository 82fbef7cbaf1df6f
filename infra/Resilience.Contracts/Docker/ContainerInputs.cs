using System.ComponentModel;
using System.Text.Json.Serialization;

namespace Resilience.Contracts.Docker;

/// <summary>
/// The inputs of a "docker:container". A container is immutable once made: every input Docker runs it with
/// replaces it. Ready and reload only steer how the tool treats it; a new configHash reloads the service in place.
/// </summary>
[ResourceType("docker:container")]
public sealed record ContainerInputs : IValidatedInputs
{
    public static readonly IReadOnlySet<string> RestartPolicies = new HashSet<string> { "no", "always", "unless-stopped", "on-failure" };

    [JsonPropertyName("name"), ReplaceOnChange]
    public required string Name { get; init; }

    [JsonPropertyName("image"), ReplaceOnChange]
    public required string Image { get; init; }

    /// <summary>"host", or the name of a Docker network.</summary>
    [JsonPropertyName("networkMode"), ReplaceOnChange]
    public string? NetworkMode { get; init; }

    [JsonPropertyName("restart"), ReplaceOnChange]
    public string? Restart { get; init; }

    [JsonPropertyName("user"), ReplaceOnChange]
    public string? User { get; init; }

    [JsonPropertyName("ready")]
    public Readiness? Ready { get; init; }

    [JsonPropertyName("reload")]
    public ReloadHow? Reload { get; init; }

    /// <summary>Hash of the config files the service reads: a new one reloads it (<see cref="Reload"/>).</summary>
    [JsonPropertyName("configHash"), ReloadOnChange]
    public string? ConfigHash { get; init; }

    [JsonPropertyName("command"), ReplaceOnChange]
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>Values may be secrets: this is where they go to Docker.</summary>
    [JsonPropertyName("env"), ReplaceOnChange]
    public IReadOnlyDictionary<string, SecretText>? Env { get; init; }

    [JsonPropertyName("ports"), ReplaceOnChange]
    public IReadOnlyList<ContainerPort>? Ports { get; init; }

    [JsonPropertyName("mounts"), ReplaceOnChange]
    public IReadOnlyList<ContainerMount>? Mounts { get; init; }

    [JsonPropertyName("labels"), ReplaceOnChange]
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    [JsonIgnore]
    public bool HostNetwork => NetworkMode == "host";

    public void Validate(InputFailures failures)
    {
        foreach (var key in (Env ?? new Dictionary<string, SecretText>()).Keys.Where(k => k.Length == 0 || k.Contains('=')))
            failures.Add(nameof(Env), "is not a valid variable name", $".{key}");
        if (Restart is not null && !RestartPolicies.Contains(Restart))
            failures.Add(nameof(Restart), $"'{Restart}' must be one of {string.Join(", ", RestartPolicies)}");
        foreach (var key in (Labels ?? new Dictionary<string, string>()).Keys.Where(ResourceLabels.IsReserved))
            failures.Add(nameof(Labels), "uses the reserved prefix 'resilience.'", $".{key}");
    }
}

public sealed record ContainerPort : IValidatedInputs
{
    [JsonPropertyName("host")]
    public required int Host { get; init; }

    [JsonPropertyName("container")]
    public required int Container { get; init; }

    [JsonPropertyName("hostIp")]
    public string? HostIp { get; init; }

    public void Validate(InputFailures failures)
    {
        if (Host is < 1 or > 65535) failures.Add(nameof(Host), $"{Host} is not a port");
        if (Container is < 1 or > 65535) failures.Add(nameof(Container), $"{Container} is not a port");
    }
}

public enum MountKind
{
    /// <summary>A host directory.</summary>
    [JsonStringEnumMemberName("bind")] Bind,

    /// <summary>A Docker volume, by name.</summary>
    [JsonStringEnumMemberName("volume")] Volume,
}

public sealed record ContainerMount : IValidatedInputs
{
    [JsonPropertyName("type")]
    public required MountKind Type { get; init; }

    /// <summary>An absolute host path for a bind mount; the volume's name for a volume mount.</summary>
    [JsonPropertyName("source")]
    public required string Source { get; init; }

    [JsonPropertyName("target")]
    public required string Target { get; init; }

    [JsonPropertyName("readOnly")]
    public bool? ReadOnly { get; init; }

    public void Validate(InputFailures failures)
    {
        if (Type == MountKind.Bind && Source is { Length: > 0 } && !Source.StartsWith('/')) failures.Add(nameof(Source), $"'{Source}' must be an absolute host path");
        if (Target is { Length: > 0 } && !Target.StartsWith('/')) failures.Add(nameof(Target), $"'{Target}' must be an absolute path");
    }
}

/// <summary>The service is up when this URL answers 200.</summary>
public sealed record Readiness : IValidatedInputs
{
    [JsonPropertyName("url")]
    public required string Url { get; init; }

    [JsonPropertyName("timeoutSeconds"), DefaultValue(60)]
    public int? TimeoutSeconds { get; init; }

    /// <summary>For a listener with TLS and basic auth: the CA its certificate must chain to and the user to present.</summary>
    [JsonPropertyName("auth")]
    public HttpProbeAuth? Auth { get; init; }

    [JsonIgnore]
    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds ?? 60);

    public void Validate(InputFailures failures)
    {
        HttpUrl.Check(Url, nameof(Url), failures);
        if (TimeoutSeconds <= 0) failures.Add(nameof(TimeoutSeconds), "must be positive");
        if (Auth is not null && Url is { } url && !url.StartsWith("https://", StringComparison.Ordinal))
            failures.Add(nameof(Url), $"'{url}' must be https:// when credentials are sent (they would cross the network in the clear)");
    }
}

/// <summary>
/// How the tool itself calls a listener that requires TLS and basic auth (its ready and reload URLs): the server's
/// certificate must chain to the CA in <see cref="CaFile"/> (a host file: only the pair's CA is trusted, never the
/// system store), and the request carries the user and password.
/// </summary>
public sealed record HttpProbeAuth : IValidatedInputs
{
    /// <summary>Absolute host path of the CA certificate(s) (PEM).</summary>
    [JsonPropertyName("caFile")]
    public required string CaFile { get; init; }

    [JsonPropertyName("user")]
    public required string User { get; init; }

    [JsonPropertyName("password"), Secret]
    public required SecretText Password { get; init; }

    public void Validate(InputFailures failures)
    {
        if (CaFile is { Length: > 0 } file && !System.IO.Path.IsPathFullyQualified(file)) failures.Add(nameof(CaFile), $"'{file}' is not an absolute file path");
        if (User is { } user && user.Contains(':')) failures.Add(nameof(User), $"'{user}' must not contain ':' (basic auth separates user and password with it)");
    }
}

public enum ReloadKind
{
    /// <summary>POST to the service's reload URL.</summary>
    [JsonStringEnumMemberName("http")] Http,

    /// <summary>Send the container a signal.</summary>
    [JsonStringEnumMemberName("signal")] Signal,

    /// <summary>Restart the same container.</summary>
    [JsonStringEnumMemberName("restart")] Restart,
}

/// <summary>How the service re-reads its config in place.</summary>
public sealed record ReloadHow : IValidatedInputs
{
    [JsonPropertyName("kind")]
    public required ReloadKind Kind { get; init; }

    [JsonPropertyName("url")]
    public string? Url { get; init; }

    [JsonPropertyName("signal")]
    public string? Signal { get; init; }

    /// <summary>The host config files the service reads: when it refuses them on reload, their previous content is put
    /// back and the service reloaded on it, so a bad change never leaves it worse off.</summary>
    [JsonPropertyName("files")]
    public IReadOnlyList<string>? Files { get; init; }

    /// <summary>For an HTTP reload of a listener with TLS and basic auth (its lifecycle endpoints answer only a user).</summary>
    [JsonPropertyName("auth")]
    public HttpProbeAuth? Auth { get; init; }

    public static ReloadHow ByHttp(string url, IReadOnlyList<string>? files = null, HttpProbeAuth? auth = null) =>
        new() { Kind = ReloadKind.Http, Url = url, Files = files, Auth = auth };

    public static ReloadHow BySignal(string signal) => new() { Kind = ReloadKind.Signal, Signal = signal };

    public static ReloadHow ByRestart(IReadOnlyList<string>? files = null) => new() { Kind = ReloadKind.Restart, Files = files };

    public void Validate(InputFailures failures)
    {
        if (Kind == ReloadKind.Http)
        {
            if (Url is null) failures.Add(nameof(Url), "is required");
            else HttpUrl.Check(Url, nameof(Url), failures);
            if (Auth is not null && Url is { } url && !url.StartsWith("https://", StringComparison.Ordinal))
                failures.Add(nameof(Url), $"'{url}' must be https:// when credentials are sent (they would cross the network in the clear)");
        }
        if (Kind == ReloadKind.Signal && string.IsNullOrEmpty(Signal)) failures.Add(nameof(Signal), "is required");
        foreach (var (file, i) in (Files ?? []).Select((f, i) => (f, i)))
        {
            if (!System.IO.Path.IsPathFullyQualified(file)) failures.Add(nameof(Files), $"'{file}' is not an absolute file path", $"[{i}]");
        }
    }
}

internal static class HttpUrl
{
    public static void Check(string? text, string member, InputFailures failures)
    {
        if (string.IsNullOrEmpty(text)) return;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            failures.Add(member, $"'{text}' is not an http(s) URL");
    }
}

/// <summary>The labels prefix the tool keeps for its own marks (stack, urn, hashes) on Docker objects.</summary>
public static class ResourceLabels
{
    public const string ReservedPrefix = "resilience.";

    public static bool IsReserved(string key) => key.StartsWith(ReservedPrefix, StringComparison.Ordinal);
}
